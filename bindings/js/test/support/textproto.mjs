// A small reader of the protobuf text format, enough for the golden input scripts of
// tests/golden/scripts (messages, scalars, enums, strings, comments), giving an object in the JSON
// mapping that the package encodes. Test support only: the package itself speaks binary.
export function parseTextProto(text) {
  const tokens = [];
  const pattern = /\s+|#[^\n]*|("(?:[^"\\]|\\.)*")|([{}:;,\[\]<>])|([^\s{}:;,\[\]<>"#]+)/gy;
  for (let m = pattern.exec(text); m !== null && pattern.lastIndex <= text.length; m = pattern.exec(text)) {
    if (m[1] !== undefined) tokens.push({ string: JSON.parse(m[1]) });
    else if (m[2] !== undefined) tokens.push({ punct: m[2] });
    else if (m[3] !== undefined) tokens.push({ word: m[3] });
    if (pattern.lastIndex === text.length) break;
  }
  let at = 0;
  const camel = (name) => name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
  function value(token) {
    if (token.string !== undefined) return token.string;
    const w = token.word;
    if (w === "true" || w === "false") return w === "true";
    if (/^-?[0-9]+$/.test(w)) return Number(w);
    if (/^-?[0-9.eE+-]+$/.test(w)) return Number(w);
    return w; // an enum value name
  }
  function message(end) {
    const out = {};
    while (at < tokens.length && !(end !== undefined && tokens[at].punct === end)) {
      const name = tokens[at++].word;
      if (name === undefined) throw new Error(`textproto: expected a field name at token ${at}`);
      let v;
      if (tokens[at].punct === ":") ++at;
      if (tokens[at].punct === "{" || tokens[at].punct === "<") {
        const close = tokens[at].punct === "{" ? "}" : ">";
        ++at;
        v = message(close);
        ++at;
      } else {
        v = value(tokens[at++]);
      }
      if (tokens[at]?.punct === ";" || tokens[at]?.punct === ",") ++at;
      const key = camel(name);
      if (key in out) out[key] = [].concat(out[key], [v]);
      else out[key] = v;
    }
    return out;
  }
  return message(undefined);
}
