// Cinemateca: the page's behaviour. Plain JavaScript, no framework, no build step; every call goes to
// this origin's public API (the gateway). Views are chosen by the URL's hash, so every view has a link:
//   #/                              inicio
//   #/movies/titulo/862             a title, its details and recommendations
//   #/movies/buscar/toy%20story     search results (paged)
//   #/lista                         "Mi lista" of the selected catalogue
//   #/estadisticas                  the twelve statistics and the charts

const CATALOGOS = { movies: "Películas", streaming: "Streaming" };
const SUGERENCIAS = 8;
const ESPERA_MS = 200; // debounce of the suggestions
const K_TITULO = 5;
const K_LISTA = 10;

const $ = (selector, root = document) => root.querySelector(selector);
const numero = new Intl.NumberFormat("es-ES");
const decimal = new Intl.NumberFormat("es-ES", { maximumFractionDigits: 2 });

// ---- small DOM builder -------------------------------------------------------------------------

function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "class") element.className = value;
    else element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

function svg(tag, attrs = {}, ...children) {
  const element = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
  for (const child of children.flat()) {
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

// ---- API ---------------------------------------------------------------------------------------

/** GET path?params; resolves to {ok, status, body}. Network failures resolve with status 0. */
async function api(path, params = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) query.append(name, item);
    }
  }
  const url = query.toString() ? `${path}?${query}` : path;
  try {
    const response = await fetch(url, { headers: { accept: "application/json" } });
    const body = await response.json().catch(() => null);
    return { ok: response.ok, status: response.status, body };
  } catch (error) {
    return { ok: false, status: 0, body: null };
  }
}

const seg = (value) => encodeURIComponent(String(value));
const detalle = (answer) => (answer.body && typeof answer.body.detail === "object" ? answer.body.detail : {});

/** A Spanish message for a failed answer; 404 suggestions become links made by `enlace(s)`. */
function fallo(answer, enlace) {
  const info = detalle(answer);
  const motivo = info.message || (answer.body && typeof answer.body.detail === "string" ? answer.body.detail : "");
  let texto;
  if (answer.status === 0) texto = "No se pudo contactar con el servidor. Comprueba la conexión y vuelve a intentarlo.";
  else if (answer.status === 404) texto = `No encontrado${motivo ? `: ${motivo}` : "."}`;
  else if (answer.status === 422) texto = `Valor no válido${motivo ? `: ${motivo}` : "."}`;
  else if (answer.status >= 500) texto = `El servicio no está disponible ahora (${answer.status})${motivo ? `: ${motivo}` : ""}. Inténtalo de nuevo en unos segundos.`;
  else texto = `Error ${answer.status}${motivo ? `: ${motivo}` : ""}`;
  const box = h("div", { class: "aviso error", role: "alert" }, h("p", {}, texto));
  const sugerencias = Array.isArray(info.suggestions) ? info.suggestions : [];
  if (sugerencias.length && enlace) {
    box.append(
      h("p", {}, "¿Quisiste decir…?"),
      listaSugerencias(sugerencias, enlace),
    );
  }
  if (Array.isArray(info.valid_values) && info.valid_values.length) {
    box.append(h("p", { class: "secundaria" }, `Valores válidos: ${info.valid_values.join(", ")}.`));
  }
  return box;
}

// ---- state: catalogue and "Mi lista" (localStorage) ----------------------------------------------

const almacen = {
  get(key, fallback) {
    try {
      const value = localStorage.getItem(key);
      return value === null ? fallback : JSON.parse(value);
    } catch {
      return fallback;
    }
  },
  set(key, value) {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch {
      /* private mode or full storage: the page still works for this visit */
    }
  },
};

let catalogo = CATALOGOS[almacen.get("cinemateca.catalogo", "movies")] ? almacen.get("cinemateca.catalogo", "movies") : "movies";

function elegirCatalogo(valor, { desdeRuta = false } = {}) {
  if (!CATALOGOS[valor] || valor === catalogo) return;
  catalogo = valor;
  almacen.set("cinemateca.catalogo", valor);
  for (const radio of document.querySelectorAll('input[name="catalogo"]')) radio.checked = radio.value === valor;
  cerrarSugerencias();
  actualizarCuenta();
  if (!desdeRuta) {
    const ruta = location.hash.split("/");
    if (ruta[2] === "buscar") location.hash = `#/${valor}/buscar/${ruta.slice(3).join("/")}`;
    else if (ruta[1] === "lista") mostrar();
  }
}

const listaKey = (cat) => `cinemateca.lista.${cat}`;
const miLista = (cat = catalogo) => almacen.get(listaKey(cat), []);
const enLista = (cat, id) => miLista(cat).some((item) => String(item.id) === String(id));

function guardarLista(cat, items) {
  almacen.set(listaKey(cat), items);
  actualizarCuenta();
}

function alternarEnLista(cat, titulo) {
  const items = miLista(cat);
  const resto = items.filter((item) => String(item.id) !== String(titulo.id));
  if (resto.length === items.length) resto.push({ id: titulo.id, titulo: titulo.titulo, anio: titulo.anio ?? null });
  guardarLista(cat, resto);
}

function actualizarCuenta() {
  const n = miLista().length;
  $("#lista-cuenta").textContent = n ? String(n) : "";
}

// ---- search box with suggestions (ARIA combobox + listbox) ---------------------------------------

const entrada = () => $("#busqueda");
const lista = () => $("#sugerencias");
let opciones = [];
let activa = -1;
let turno = 0;
let espera = 0;

function etiquetaTitulo(item) {
  const partes = [item.anio ? `${item.anio}` : null, item.plataforma, item.tipo].filter(Boolean);
  return partes.length ? `${item.titulo} (${partes.join(", ")})` : item.titulo;
}

const conAnio = (t) => (t.anio ? `${t.titulo} (${t.anio})` : t.titulo);
const rutaTitulo = (cat, id) => `#/${cat}/titulo/${seg(id)}`;
const enlaceBusqueda = (cat) => (s) => h("a", { href: `#/${cat}/buscar/${seg(s)}` }, s);
const listaSugerencias = (sugerencias, enlace) =>
  h("ul", { class: "sugerencias-404" }, sugerencias.map((s) => h("li", {}, enlace(s))));

function cerrarSugerencias() {
  opciones = [];
  activa = -1;
  lista().hidden = true;
  lista().replaceChildren();
  entrada().setAttribute("aria-expanded", "false");
  entrada().removeAttribute("aria-activedescendant");
}

function marcarActiva(indice) {
  activa = indice;
  lista().querySelectorAll('[role="option"]').forEach((li, i) => {
    li.setAttribute("aria-selected", String(i === indice));
    if (i === indice) li.scrollIntoView({ block: "nearest" });
  });
  if (indice >= 0) entrada().setAttribute("aria-activedescendant", `sugerencia-${indice}`);
  else entrada().removeAttribute("aria-activedescendant");
}

function elegir(indice) {
  const item = opciones[indice];
  if (!item) return;
  entrada().value = item.titulo;
  cerrarSugerencias();
  location.hash = rutaTitulo(catalogo, item.id);
}

async function sugerir() {
  const q = entrada().value.trim();
  const mio = ++turno;
  if (q.length < 2) {
    cerrarSugerencias();
    return;
  }
  const answer = await api("/buscar", { q, catalogo, por_pagina: SUGERENCIAS });
  if (mio !== turno || document.activeElement !== entrada()) return; // a newer keystroke won, or focus left
  lista().replaceChildren();
  activa = -1;
  entrada().removeAttribute("aria-activedescendant");
  if (!answer.ok) {
    opciones = [];
    lista().append(h("li", { class: "vacio", role: "presentation" }, answer.status === 0 ? "Sin conexión con el servidor" : "No se pudieron cargar las sugerencias"));
    $("#busqueda-estado").textContent = "No hay sugerencias.";
  } else {
    opciones = answer.body.resultados || [];
    if (!opciones.length) {
      lista().append(h("li", { class: "vacio", role: "presentation" }, `Ningún título coincide con «${q}»`));
    }
    opciones.forEach((item, i) => {
      lista().append(
        h(
          "li",
          {
            id: `sugerencia-${i}`,
            role: "option",
            "aria-selected": "false",
            onmousedown: (event) => event.preventDefault(), // keep focus in the input
            onclick: () => elegir(i),
          },
          etiquetaTitulo(item),
        ),
      );
    });
    $("#busqueda-estado").textContent = opciones.length
      ? `${opciones.length} sugerencias; usa las flechas para recorrerlas.`
      : "Ningún título coincide.";
  }
  lista().hidden = false;
  entrada().setAttribute("aria-expanded", "true");
}

function iniciarBuscador() {
  const input = entrada();
  input.addEventListener("input", () => {
    clearTimeout(espera);
    espera = setTimeout(sugerir, ESPERA_MS);
  });
  input.addEventListener("keydown", (event) => {
    const abierta = !lista().hidden && opciones.length > 0;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!abierta) sugerir();
      else marcarActiva((activa + 1) % opciones.length);
    } else if (event.key === "ArrowUp") {
      if (!abierta) return;
      event.preventDefault();
      marcarActiva(activa <= 0 ? opciones.length - 1 : activa - 1);
    } else if (event.key === "Enter" && abierta && activa >= 0) {
      event.preventDefault();
      elegir(activa);
    } else if (event.key === "Escape") {
      cerrarSugerencias();
    }
  });
  input.addEventListener("blur", () => setTimeout(cerrarSugerencias, 100));
  $("#buscador").addEventListener("submit", (event) => {
    event.preventDefault();
    const q = input.value.trim();
    if (!q) return;
    clearTimeout(espera);
    turno++;
    cerrarSugerencias();
    location.hash = `#/${catalogo}/buscar/${seg(q)}`;
  });
  for (const radio of document.querySelectorAll('input[name="catalogo"]')) {
    radio.checked = radio.value === catalogo;
    radio.addEventListener("change", () => elegirCatalogo(radio.value));
  }
}

// ---- views -------------------------------------------------------------------------------------

const main = () => $("#contenido");

function pintar(titulo, ...children) {
  const heading = h("h2", { tabindex: "-1" }, titulo);
  main().replaceChildren(heading, ...children);
  document.title = `${titulo} · Cinemateca`;
  return heading;
}

function vistaInicio() {
  return pintar(
    "Bienvenida",
    h("p", {}, "Busca una película o una serie en el cuadro de arriba: al escribir aparecen sugerencias. Al elegir un título verás su ficha y los cinco títulos más parecidos, con el motivo de cada recomendación."),
    h(
      "div",
      { class: "tarjetas" },
      h("section", { class: "tarjeta" }, h("h3", {}, "Mi lista"), h("p", {}, "Junta varios títulos y pide recomendaciones para el conjunto."), h("a", { href: "#/lista" }, "Ir a Mi lista")),
      h("section", { class: "tarjeta" }, h("h3", {}, "Estadísticas"), h("p", {}, "Las doce consultas del catálogo, con gráficos por mes, día de la semana y plataforma."), h("a", { href: "#/estadisticas" }, "Ver estadísticas")),
      h("section", { class: "tarjeta" }, h("h3", {}, "Informes"), h("p", {}, "Análisis exploratorio de cada catálogo."), h("p", {}, h("a", { href: "/informes/movies" }, "Informe de películas"), " · ", h("a", { href: "/informes/streaming" }, "Informe de streaming"))),
    ),
  );
}

function campo(dt, valor) {
  if (valor === null || valor === undefined || valor === "" || (Array.isArray(valor) && !valor.length)) return [];
  return [h("dt", {}, dt), h("dd", {}, Array.isArray(valor) ? valor.join(", ") : String(valor))];
}

function listaRecomendaciones(cat, recomendaciones, { relacion = false } = {}) {
  return h(
    "ol",
    { class: "recomendaciones" },
    recomendaciones.map((rec) =>
      h(
        "li",
        {},
        h(
          "div",
          { class: "cabeza" },
          h("a", { href: rutaTitulo(cat, rec.id) }, conAnio(rec)),
          h("span", { class: "puntuacion" }, "Puntuación ", h("data", { value: String(rec.score) }, decimal.format(rec.score))),
        ),
        h("p", { class: "razon" }, rec.razon),
        relacion && rec.relacionado_con && rec.relacionado_con.length
          ? h("p", { class: "secundaria" }, `Relacionado con: ${rec.relacionado_con.map((t) => (typeof t === "string" ? t : t.titulo)).join(", ")}`)
          : null,
      ),
    ),
  );
}

async function vistaTitulo(cat, id) {
  elegirCatalogo(cat, { desdeRuta: true });
  pintar("Cargando…", h("p", { class: "cargando" }, "Cargando la ficha…"));
  const [ficha, recs] = await Promise.all([
    api(`/titulos/${seg(id)}`, { catalogo: cat }),
    api(`/titulos/${seg(id)}/recomendaciones`, { catalogo: cat, k: K_TITULO }),
  ]);
  if (!ficha.ok) {
    pintar("Título no encontrado", fallo(ficha), h("p", {}, h("a", { href: "#/" }, "Volver al inicio")));
    return;
  }
  const t = ficha.body;
  const boton = h("button", { type: "button", class: "secundario", "aria-pressed": String(enLista(cat, t.id)) });
  const rotular = () => {
    const dentro = enLista(cat, t.id);
    boton.textContent = dentro ? "Quitar de Mi lista" : "Añadir a Mi lista";
    boton.setAttribute("aria-pressed", String(dentro));
  };
  boton.addEventListener("click", () => {
    alternarEnLista(cat, t);
    rotular();
  });
  rotular();
  const nombre = conAnio(t);
  const bloqueRecs = recs.ok
    ? recs.body.recomendaciones.length
      ? listaRecomendaciones(cat, recs.body.recomendaciones)
      : h("p", {}, "No hay recomendaciones para este título.")
    : fallo(recs, enlaceBusqueda(cat));
  const heading = pintar(
    nombre,
    h(
      "article",
      { class: "ficha" },
      h("div", { class: "ficha-cabecera" }, h("p", { class: "secundaria" }, CATALOGOS[cat]), boton),
      t.descripcion ? h("p", {}, t.descripcion) : null,
      h(
        "dl",
        {},
        campo("Título original", t.titulo_original && t.titulo_original !== t.titulo ? t.titulo_original : null),
        campo("Año", t.anio),
        campo("Géneros", t.generos),
        campo("Dirección", t.directores),
        campo("Reparto", t.reparto),
        campo("Plataforma", t.plataforma),
        campo("Tipo", t.tipo),
        campo("Colección", t.coleccion),
        campo("Duración", t.duracion),
        campo("Puntuación", typeof t.puntuacion === "number" ? decimal.format(t.puntuacion) : t.puntuacion),
      ),
    ),
    h("section", { "aria-labelledby": "recs-titulo" }, h("h3", { id: "recs-titulo" }, "Títulos parecidos"), bloqueRecs),
  );
  heading.focus();
}

async function vistaBusqueda(cat, q, pagina) {
  elegirCatalogo(cat, { desdeRuta: true });
  entrada().value = q;
  pintar(`Resultados para «${q}»`, h("p", { class: "cargando" }, "Buscando…"));
  const answer = await api("/buscar", { q, catalogo: cat, pagina, por_pagina: 20 });
  if (!answer.ok) {
    pintar(`Resultados para «${q}»`, fallo(answer));
    return;
  }
  const r = answer.body;
  if (!r.resultados.length) {
    pintar(`Resultados para «${q}»`, h("div", { class: "aviso", role: "status" }, h("p", {}, `No encontrado: ningún título de ${CATALOGOS[cat].toLowerCase()} coincide con «${q}».`)));
    return;
  }
  const base = `#/${cat}/buscar/${seg(q)}`;
  pintar(
    `Resultados para «${q}»`,
    h("p", { class: "secundaria" }, `${numero.format(r.total_resultados)} ${pl(r.total_resultados, "título", "títulos")} · página ${r.pagina} de ${r.total_paginas}`),
    h("ol", { class: "resultados", start: String((r.pagina - 1) * r.por_pagina + 1) }, r.resultados.map((item) => h("li", {}, h("a", { href: rutaTitulo(cat, item.id) }, etiquetaTitulo(item))))),
    h(
      "nav",
      { class: "paginas", "aria-label": "Páginas de resultados" },
      r.pagina > 1 ? h("a", { href: `${base}/${r.pagina - 1}` }, "← Anterior") : null,
      r.pagina < r.total_paginas ? h("a", { href: `${base}/${r.pagina + 1}` }, "Siguiente →") : null,
    ),
  ).focus();
}

function vistaLista() {
  const cat = catalogo;
  const items = miLista(cat);
  const resultado = h("div", { id: "lista-resultado", "aria-live": "polite" });
  const boton = h("button", { type: "button", disabled: items.length === 0 }, "Recomendar para mi lista");
  boton.addEventListener("click", async () => {
    const actuales = miLista(cat);
    resultado.replaceChildren(h("p", { class: "cargando" }, "Calculando recomendaciones…"));
    const answer = await api("/recomendaciones", {
      titulos: actuales.map((item) => item.titulo),
      anios: actuales.map((item) => (item.anio === null || item.anio === undefined ? "" : String(item.anio))),
      k: K_LISTA,
      catalogo: cat,
    });
    if (!answer.ok) {
      const aviso = fallo(answer);
      for (const desconocido of detalle(answer).desconocidos || []) {
        aviso.append(
          h("p", {}, `«${desconocido.titulo}» no está en el catálogo. ¿Quisiste decir…?`),
          listaSugerencias(desconocido.suggestions || [], enlaceBusqueda(cat)),
        );
      }
      resultado.replaceChildren(aviso);
      return;
    }
    resultado.replaceChildren(
      h("h3", {}, "Recomendaciones para tu lista"),
      answer.body.recomendaciones.length ? listaRecomendaciones(cat, answer.body.recomendaciones, { relacion: true }) : h("p", {}, "No hay recomendaciones para esta lista."),
    );
  });
  const cuerpo = items.length
    ? h(
        "ul",
        { class: "mi-lista" },
        items.map((item) =>
          h(
            "li",
            {},
            h("a", { href: rutaTitulo(cat, item.id) }, conAnio(item)),
            h("button", { type: "button", class: "secundario", "aria-label": `Quitar ${item.titulo} de Mi lista`, onclick: () => { alternarEnLista(cat, item); vistaLista(); } }, "Quitar"),
          ),
        ),
      )
    : h("p", { class: "aviso" }, "Tu lista está vacía. Busca un título arriba y pulsa «Añadir a Mi lista» en su ficha.");
  pintar(`Mi lista (${CATALOGOS[cat].toLowerCase()})`, h("p", { class: "secundaria" }, "Se guarda en este navegador. Cambia de catálogo arriba para ver la otra lista."), cuerpo, h("p", {}, boton), resultado).focus();
}

// ---- statistics --------------------------------------------------------------------------------

// Closed sets come from the API itself: the parameter's enum in /openapi.json when the document
// declares one, else the `valid_values` of the 422 that a value outside the set answers.
let documento = null;
function enumDe(operacion, parametro) {
  documento ??= api("/openapi.json").then((answer) => (answer.ok ? answer.body : null));
  return documento.then((doc) => {
    const parametros = doc?.paths?.[operacion]?.get?.parameters || [];
    const schema = parametros.find((p) => p.name === parametro)?.schema || {};
    const opciones = schema.enum || (schema.anyOf || []).flatMap((s) => s.enum || []);
    return opciones.map(String);
  });
}

const valoresValidos = new Map();
function valores(cerrado) {
  if (!valoresValidos.has(cerrado.sonda)) {
    valoresValidos.set(
      cerrado.sonda,
      enumDe(cerrado.operacion, cerrado.parametro).then(async (opciones) => {
        if (opciones.length) return opciones;
        const answer = await api(cerrado.sonda);
        const validos = detalle(answer).valid_values;
        if (answer.status === 422 && Array.isArray(validos)) return validos.map(String);
        valoresValidos.delete(cerrado.sonda); // try again next time
        return [];
      }),
    );
  }
  return valoresValidos.get(cerrado.sonda);
}

const cerrado = (operacion, parametro, sonda) => ({ operacion, parametro, sonda });
const PROBES = {
  mes: cerrado("/peliculas_mes/{mes}", "mes", "/peliculas_mes/-"),
  dia: cerrado("/peliculas_dia/{dia}", "dia", "/peliculas_dia/-"),
  platform: cerrado("/get_count_platform/{platform}", "platform", "/get_count_platform/-"),
  duration_type: cerrado(
    "/get_max_duration/{year}/{platform}/{duration_type}",
    "duration_type",
    "/get_max_duration/2020/netflix/-",
  ),
  tipo: cerrado("/prod_per_county/{tipo}/{pais}/{anio}", "tipo", "/prod_per_county/-/Argentina/2020"),
  rating: cerrado("/get_contents/{rating}", "rating", "/get_contents/-"),
};

const ANIO = { kind: "number", min: 1900, max: 2100, step: 1 };
const dinero = (v) => `US$ ${numero.format(Math.round(v))}`;
// The noun (and its adjective) agreeing with a count: «1 película estrenada», «2 películas estrenadas».
const pl = (n, uno, varios) => (Number(n) === 1 ? uno : varios);
const dato = (value, texto) => h("data", { value: String(value) }, texto ?? numero.format(value));

const ESTADISTICAS = [
  {
    id: "peliculas_mes", catalogo: "movies", titulo: "Películas estrenadas en un mes",
    campos: [{ name: "mes", label: "Mes", kind: "select", probe: PROBES.mes }],
    ruta: (v) => `/peliculas_mes/${seg(v.mes)}`,
    respuesta: (b) => [h("strong", {}, dato(b.cantidad)), ` ${pl(b.cantidad, "película estrenada", "películas estrenadas")} en ${b.mes}.`],
  },
  {
    id: "peliculas_dia", catalogo: "movies", titulo: "Películas estrenadas en un día de la semana",
    campos: [{ name: "dia", label: "Día", kind: "select", probe: PROBES.dia }],
    ruta: (v) => `/peliculas_dia/${seg(v.dia)}`,
    respuesta: (b) => [h("strong", {}, dato(b.cantidad)), ` ${pl(b.cantidad, "película estrenada", "películas estrenadas")} en ${b.dia}.`],
  },
  {
    id: "franquicia", catalogo: "movies", titulo: "Una franquicia: películas y ganancias",
    campos: [{ name: "franquicia", label: "Franquicia", kind: "text", placeholder: "Toy Story" }],
    ruta: (v) => `/franquicia/${seg(v.franquicia)}`,
    respuesta: (b) => [`${b.franquicia}: `, h("strong", {}, dato(b.cantidad)), ` ${pl(b.cantidad, "película", "películas")}; ganancia total ${dinero(b.ganancia_total)}, promedio ${dinero(b.ganancia_promedio)}.`],
  },
  {
    id: "peliculas_pais", catalogo: "movies", titulo: "Películas producidas en un país",
    campos: [{ name: "pais", label: "País (nombre o código ISO)", kind: "text", placeholder: "Argentina" }],
    ruta: (v) => `/peliculas_pais/${seg(v.pais)}`,
    respuesta: (b) => [h("strong", {}, dato(b.cantidad)), ` ${pl(b.cantidad, "película producida", "películas producidas")} en ${b.pais}.`],
  },
  {
    id: "productoras", catalogo: "movies", titulo: "Una productora: películas y ganancia",
    campos: [{ name: "productora", label: "Productora", kind: "text", placeholder: "Pixar Animation Studios" }],
    ruta: (v) => `/productoras/${seg(v.productora)}`,
    respuesta: (b) => [`${b.productora}: `, h("strong", {}, dato(b.cantidad)), ` ${pl(b.cantidad, "película", "películas")}; ganancia total ${dinero(b.ganancia_total)}.`],
  },
  {
    id: "retorno", catalogo: "movies", titulo: "Inversión, ganancia y retorno de una película",
    campos: [
      { name: "pelicula", label: "Película", kind: "text", placeholder: "Toy Story" },
      { name: "anio", label: "Año (opcional)", ...ANIO, optional: true },
    ],
    ruta: (v) => `/retorno/${seg(v.pelicula)}`,
    query: (v) => (v.anio ? { anio: v.anio } : {}),
    respuesta: (b) => [
      `${b.pelicula}${b.anio ? ` (${b.anio})` : ""}: inversión ${dinero(b.inversion)}, ganancia ${dinero(b.ganancia)}, retorno `,
      h("strong", {}, dato(b.retorno, decimal.format(b.retorno))),
      ".",
      b.otras && b.otras.length ? h("span", { class: "secundaria" }, ` Otras películas con ese título: ${b.otras.map((o) => (typeof o === "object" ? `${o.anio ?? "s/f"}` : o)).join(", ")} (elige el año).`) : null,
    ],
  },
  {
    id: "get_max_duration", catalogo: "streaming", titulo: "Película de mayor duración",
    campos: [
      { name: "year", label: "Año", ...ANIO, value: 2018 },
      { name: "platform", label: "Plataforma", kind: "select", probe: PROBES.platform },
      { name: "duration_type", label: "Tipo de duración", kind: "select", probe: PROBES.duration_type },
    ],
    ruta: (v) => `/get_max_duration/${seg(v.year)}/${seg(v.platform)}/${seg(v.duration_type)}`,
    respuesta: (b) => [h("strong", {}, dato(b, b)), "."],
  },
  {
    id: "get_score_count", catalogo: "streaming", titulo: "Películas con puntaje mayor que un umbral",
    campos: [
      { name: "platform", label: "Plataforma", kind: "select", probe: PROBES.platform },
      { name: "scored", label: "Puntaje mayor que", kind: "number", min: 0, max: 5, step: 0.1, value: 3.5 },
      { name: "year", label: "Año", ...ANIO, value: 2020 },
    ],
    ruta: (v) => `/get_score_count/${seg(v.platform)}/${seg(v.scored)}/${seg(v.year)}`,
    respuesta: (b, v) => [h("strong", {}, dato(b)), ` ${pl(b, "película", "películas")} de ${v.platform} de ${v.year} con puntaje mayor que ${v.scored}.`],
  },
  {
    id: "get_count_platform", catalogo: "streaming", titulo: "Películas de una plataforma",
    campos: [{ name: "platform", label: "Plataforma", kind: "select", probe: PROBES.platform }],
    ruta: (v) => `/get_count_platform/${seg(v.platform)}`,
    respuesta: (b, v) => [h("strong", {}, dato(b)), ` ${pl(b, "película", "películas")} en ${v.platform}.`],
  },
  {
    id: "get_actor", catalogo: "streaming", titulo: "Actor con más apariciones",
    campos: [
      { name: "platform", label: "Plataforma", kind: "select", probe: PROBES.platform },
      { name: "year", label: "Año", ...ANIO, value: 2020 },
    ],
    ruta: (v) => `/get_actor/${seg(v.platform)}/${seg(v.year)}`,
    respuesta: (b, v) => [h("strong", {}, dato(b, b)), ` es quien más aparece en ${v.platform} en ${v.year}.`],
  },
  {
    id: "prod_per_county", catalogo: "streaming", titulo: "Títulos de un tipo, país y año",
    campos: [
      { name: "tipo", label: "Tipo", kind: "select", probe: PROBES.tipo },
      { name: "pais", label: "País", kind: "text", placeholder: "Argentina" },
      { name: "anio", label: "Año", ...ANIO, value: 2018 },
    ],
    ruta: (v) => `/prod_per_county/${seg(v.tipo)}/${seg(v.pais)}/${seg(v.anio)}`,
    respuesta: (b, v) => [h("strong", {}, dato(b.pelicula)), ` ${pl(b.pelicula, "título", "títulos")} de tipo ${v.tipo} ${pl(b.pelicula, "producido", "producidos")} en ${b.pais} en ${b.anio}.`],
  },
  {
    id: "get_contents", catalogo: "streaming", titulo: "Títulos con una clasificación por edades",
    campos: [{ name: "rating", label: "Clasificación", kind: "select", probe: PROBES.rating }],
    ruta: (v) => `/get_contents/${seg(v.rating)}`,
    respuesta: (b, v) => [h("strong", {}, dato(b)), ` ${pl(b, "título", "títulos")} con clasificación ${v.rating}.`],
  },
];

function formulario(stat) {
  const respuesta = h("div", { class: "respuesta", "aria-live": "polite", "data-respuesta": stat.id });
  const controles = stat.campos.map((c) => {
    const id = `${stat.id}-${c.name}`;
    let control;
    if (c.kind === "select") {
      control = h("select", { id, name: c.name, required: true }, h("option", { value: "" }, "Cargando…"));
      valores(c.probe).then((validos) => {
        control.replaceChildren(...validos.map((v) => h("option", { value: v }, v)));
        if (!validos.length) control.append(h("option", { value: "" }, "No disponible"));
      });
    } else {
      control = h("input", {
        id, name: c.name, type: c.kind, required: !c.optional, placeholder: c.placeholder,
        min: c.min, max: c.max, step: c.step, value: c.value, inputmode: c.kind === "number" ? "decimal" : null,
      });
    }
    return h("div", { class: "campo" }, h("label", { for: id }, c.label), control);
  });
  const form = h(
    "form",
    { class: "tarjeta", id: `form-${stat.id}`, "aria-labelledby": `${stat.id}-titulo` },
    h("h3", { id: `${stat.id}-titulo` }, stat.titulo),
    controles,
    h("button", { type: "submit" }, "Consultar"),
    respuesta,
  );
  const consultar = async () => {
    const v = Object.fromEntries(new FormData(form).entries());
    respuesta.replaceChildren(h("span", { class: "cargando" }, "Consultando…"));
    const answer = await api(stat.ruta(v), stat.query ? stat.query(v) : {});
    if (!answer.ok) {
      const primero = stat.campos[0];
      respuesta.replaceChildren(
        fallo(answer, (s) =>
          h("a", { href: "#", onclick: (event) => { event.preventDefault(); form.elements[primero.name].value = s; consultar(); } }, s),
        ),
      );
      return;
    }
    respuesta.replaceChildren(h("p", {}, stat.respuesta(answer.body, v)));
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    consultar();
  });
  return form;
}

/** A horizontal bar chart as inline SVG: one row per (label, value), the value written after the bar. */
function grafico(titulo, filas) {
  const fila = 24;
  const etiqueta = 84;
  const ancho = 300;
  const hueco = 48;
  const maximo = Math.max(1, ...filas.map(([, v]) => v));
  const alto = filas.length * fila + 4;
  const id = `g-${Math.random().toString(36).slice(2)}`;
  const resumen = filas.map(([l, v]) => `${l}: ${numero.format(v)}`).join("; ");
  const chart = svg(
    "svg",
    { class: "grafico", viewBox: `0 0 ${ancho} ${alto}`, role: "img", "aria-labelledby": id },
    svg("title", { id }, `${titulo}. ${resumen}`),
    filas.map(([label, value], i) => {
      const y = i * fila + 2;
      const largo = ((ancho - etiqueta - hueco) * value) / maximo;
      return svg(
        "g",
        { "data-etiqueta": label, "data-valor": String(value) },
        svg("text", { x: etiqueta - 6, y: y + fila / 2 + 4, "text-anchor": "end" }, label),
        svg("rect", { class: "barra", x: etiqueta, y: y + 3, width: Math.max(1, largo).toFixed(1), height: fila - 8, rx: 2 }),
        svg("text", { class: "valor", x: etiqueta + largo + 6, y: y + fila / 2 + 4 }, numero.format(value)),
      );
    }),
  );
  return chart;
}

function figuraDesde(titulo, probe, ruta, valor) {
  const figure = h("figure", {}, h("figcaption", {}, titulo), h("p", { class: "cargando" }, "Cargando…"));
  (async () => {
    const etiquetas = await valores(probe);
    const answers = await Promise.all(etiquetas.map((e) => api(ruta(e))));
    const fallida = answers.find((a) => !a.ok);
    if (!etiquetas.length || fallida) {
      figure.replaceChildren(h("figcaption", {}, titulo), fallida ? fallo(fallida) : h("p", {}, "No se pudieron cargar los datos."));
      return;
    }
    figure.replaceChildren(h("figcaption", {}, titulo), grafico(titulo, etiquetas.map((e, i) => [e, valor(answers[i].body)])));
  })();
  return figure;
}

function vistaEstadisticas() {
  const graficos = h("div", { class: "graficos" });
  const seccion = (cat, nombre) =>
    h(
      "section",
      { "aria-labelledby": `stats-${cat}` },
      h("h3", { id: `stats-${cat}` }, nombre),
      h("div", { class: "tarjetas" }, ESTADISTICAS.filter((s) => s.catalogo === cat).map(formulario)),
    );
  pintar(
    "Estadísticas",
    h("p", {}, "Elige los valores y pulsa «Consultar»; las opciones de cada lista vienen de la propia API."),
    h("section", { "aria-labelledby": "graficos-titulo" }, h("h3", { id: "graficos-titulo" }, "Gráficos"), graficos),
    seccion("movies", "Películas (The Movies Dataset)"),
    seccion("streaming", "Plataformas de streaming"),
  ).focus();
  graficos.append(
    figuraDesde("Películas estrenadas por mes", PROBES.mes, (m) => `/peliculas_mes/${seg(m)}`, (b) => b.cantidad),
    figuraDesde("Películas estrenadas por día de la semana", PROBES.dia, (d) => `/peliculas_dia/${seg(d)}`, (b) => b.cantidad),
    figuraDesde("Películas por plataforma de streaming", PROBES.platform, (p) => `/get_count_platform/${seg(p)}`, (b) => b),
  );
}

// ---- router ------------------------------------------------------------------------------------

function mostrar() {
  const partes = location.hash.replace(/^#\/?/, "").split("/").map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  const [primero, segundo, tercero, cuarto] = partes;
  if (CATALOGOS[primero] && segundo === "titulo" && tercero) return vistaTitulo(primero, tercero);
  if (CATALOGOS[primero] && segundo === "buscar" && tercero) return vistaBusqueda(primero, tercero, Math.max(1, parseInt(cuarto, 10) || 1));
  if (primero === "lista") return vistaLista();
  if (primero === "estadisticas") return vistaEstadisticas();
  if (primero) {
    return pintar("Página no encontrada", h("p", { class: "aviso error", role: "alert" }, "No encontrado: esta dirección no corresponde a ninguna sección. "), h("p", {}, h("a", { href: "#/" }, "Ir al inicio")));
  }
  return vistaInicio();
}

iniciarBuscador();
actualizarCuenta();
window.addEventListener("hashchange", () => {
  const heading = mostrar();
  if (heading instanceof HTMLElement) heading.focus();
});
mostrar();
