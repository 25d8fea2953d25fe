// Renders /v1/openapi.json as a readable page: operations grouped by tag,
// with parameters, request bodies, responses and the schemas they use.

const main = document.getElementById("main");
const toc = document.getElementById("toc");
const METHODS = ["get", "post", "put", "patch", "delete"];

function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") element.className = value;
    else element.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function refName(ref) {
  return ref.split("/").at(-1);
}

function anchor(text) {
  return text.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").toLowerCase();
}

// A short, readable type for a schema: `string`, `[Quote]`, `integer ≥ 0`.
function typeOf(schema) {
  if (!schema) return "any";
  if (schema.$ref) {
    const name = refName(schema.$ref);
    return h("a", { href: `#schema-${anchor(name)}` }, name);
  }
  for (const key of ["oneOf", "anyOf", "allOf"]) {
    if (schema[key]) {
      const parts = schema[key].filter((part) => part.type !== "null");
      const nullable = parts.length < schema[key].length;
      const separator = key === "allOf" ? " & " : " | ";
      const shown = parts.flatMap((part, index) => (index ? [separator, typeOf(part)] : [typeOf(part)]));
      return h("span", {}, shown, nullable ? " | null" : "");
    }
  }
  let type = schema.type;
  if (Array.isArray(type)) {
    const nonNull = type.filter((t) => t !== "null");
    return h("span", {}, typeOf({ ...schema, type: nonNull.length === 1 ? nonNull[0] : nonNull.join(" | ") }), type.includes("null") ? " | null" : "");
  }
  if (type === "array") return h("span", {}, "[", typeOf(schema.items), "]");
  if (type === "object" && schema.additionalProperties && !schema.properties) {
    return h("span", {}, "{string: ", typeOf(schema.additionalProperties), "}");
  }
  let text = type || (schema.properties ? "object" : "any");
  if (schema.format) text += ` (${schema.format})`;
  if (schema.enum) text = schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  if (schema.minimum !== undefined) text += ` ≥ ${schema.minimum}`;
  return text;
}

// The fields of an object schema, those of its `allOf` parts (a flattened
// struct: named schemas, resolved in `schemas`) included, in order.
function fieldsOf(schema, schemas) {
  const parts = (schema.allOf || []).map((part) => (part.$ref ? schemas[refName(part.$ref)] : part));
  const own = { properties: Object.entries(schema.properties || {}), required: schema.required || [] };
  return parts.map((part) => fieldsOf(part || {}, schemas)).concat([own]).reduce((all, part) => ({
    properties: all.properties.concat(part.properties),
    required: all.required.concat(part.required),
  }), { properties: [], required: [] });
}

function propertiesTable(schema, schemas) {
  const fields = fieldsOf(schema, schemas);
  const properties = fields.properties;
  if (!properties.length) return h("p", { class: "type" }, typeOf(schema));
  const required = new Set(fields.required);
  return h("table", {},
    h("thead", {}, h("tr", {}, h("th", {}, "field"), h("th", {}, "type"), h("th", {}, "description"))),
    h("tbody", {}, properties.map(([name, property]) => h("tr", {},
      h("td", {}, h("code", {}, name), required.has(name) ? h("span", { class: "required" }, " required") : null),
      h("td", { class: "type" }, typeOf(property)),
      h("td", {}, property.description || "")))));
}

function contentBlock(content) {
  return Object.entries(content || {}).map(([mediaType, media]) =>
    h("div", { class: "schema-block" }, h("code", {}, mediaType), media.schema ? [" — ", h("span", { class: "type" }, typeOf(media.schema))] : null));
}

function operationCard(path, method, operation) {
  const id = anchor(`${method}-${path}`);
  const parameters = operation.parameters || [];
  return h("section", { class: "operation", id, "data-operation": `${method.toUpperCase()} ${path}` },
    h("h2", {}, h("span", { class: `method ${method}` }, method.toUpperCase()), path),
    operation.summary ? h("p", {}, h("strong", {}, operation.summary)) : null,
    operation.description ? h("p", {}, operation.description) : null,
    parameters.length ? [h("h3", {}, "Parameters"), h("table", {},
      h("thead", {}, h("tr", {}, h("th", {}, "name"), h("th", {}, "in"), h("th", {}, "type"), h("th", {}, "description"))),
      h("tbody", {}, parameters.map((parameter) => h("tr", {},
        h("td", {}, h("code", {}, parameter.name), parameter.required ? h("span", { class: "required" }, " required") : null),
        h("td", {}, parameter.in),
        h("td", { class: "type" }, typeOf(parameter.schema)),
        h("td", {}, parameter.description || "")))))] : null,
    operation.requestBody ? [h("h3", {}, "Request body"), operation.requestBody.description ? h("p", {}, operation.requestBody.description) : null, contentBlock(operation.requestBody.content)] : null,
    h("h3", {}, "Responses"),
    h("table", {}, h("tbody", {}, Object.entries(operation.responses || {}).map(([status, response]) => h("tr", {},
      h("td", {}, h("code", {}, status)),
      h("td", {}, response.description || "", contentBlock(response.content)))))));
}

async function main_() {
  let spec;
  try {
    const response = await fetch("/v1/openapi.json");
    spec = await response.json();
  } catch (error) {
    main.replaceChildren(h("p", { class: "notice error" }, `Cannot load the OpenAPI description: ${error.message}`));
    return;
  }
  document.title = `${spec.info.title} ${spec.info.version} — API`;
  // Sections in the order the description lists its tags.
  const byTag = new Map((spec.tags || []).map((tag) => [tag.name, []]));
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const tag = operation.tags?.[0] || "other";
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push({ path, method, operation });
    }
  }
  const sections = [];
  const tocItems = [];
  for (const [tag, operations] of byTag) {
    if (!operations.length) continue;
    sections.push(h("h2", { id: `tag-${anchor(tag)}`, class: "sidebar-title", style: "margin-top:24px" }, tag));
    tocItems.push(h("h3", {}, tag), h("ul", {}, operations.map(({ path, method }) =>
      h("li", {}, h("a", { href: `#${anchor(`${method}-${path}`)}` }, h("span", { class: "type" }, method.toUpperCase()), " ", path)))));
    for (const { path, method, operation } of operations) sections.push(operationCard(path, method, operation));
  }
  const schemas = Object.entries(spec.components?.schemas || {});
  tocItems.push(h("h3", {}, "Schemas"), h("ul", {}, schemas.map(([name]) => h("li", {}, h("a", { href: `#schema-${anchor(name)}` }, name)))));
  const content = [
    h("h1", {}, `${spec.info.title} `, h("span", { class: "type" }, spec.info.version)),
    spec.info.description ? h("p", {}, spec.info.description) : null,
    h("p", {}, "Every error is ", h("code", {}, '{"error": {"code", "message"}}'), ". The machine-readable description is at ",
      h("a", { href: "/v1/openapi.json" }, "/v1/openapi.json"), " (OpenAPI ", spec.openapi, ")."),
    ...sections,
    h("h2", { class: "sidebar-title", style: "margin-top:24px" }, "Schemas"),
    ...schemas.map(([name, schema]) => h("section", { class: "operation", id: `schema-${anchor(name)}`, "data-schema": name },
      h("h2", {}, name),
      schema.description ? h("p", {}, schema.description) : null,
      propertiesTable(schema, spec.components.schemas))),
  ];
  main.replaceChildren(...content.filter(Boolean));
  toc.replaceChildren(...tocItems);
  if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
}

main_();
