// JSON Patch (RFC 6902), the subset the server sends: add, remove, replace with JSON Pointer
// paths, "/-" appending to a list. The view is never mutated: each op copies the path it
// walks, so a screen holding the old view keeps seeing it unchanged.

export class PatchError extends Error {}

function parsePointer(path) {
  if (path === "") return [];
  if (!path.startsWith("/")) throw new PatchError(`not a JSON Pointer: ${path}`);
  return path.slice(1).split("/").map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function copy(node) {
  return Array.isArray(node) ? node.slice() : { ...node };
}

function index(list, key, forAdd) {
  if (key === "-" && forAdd) return list.length;
  if (!/^(0|[1-9][0-9]*)$/.test(key)) throw new PatchError(`not a list index: ${key}`);
  const at = Number(key);
  if (at > list.length || (!forAdd && at >= list.length)) throw new PatchError(`index out of range: ${key}`);
  return at;
}

function applyOp(doc, op) {
  const keys = parsePointer(op.path);
  if (keys.length === 0) {
    if (op.op === "remove") throw new PatchError("cannot remove the whole view");
    return op.value;
  }
  const root = copy(doc);
  let node = root;
  for (const key of keys.slice(0, -1)) {
    const child = Array.isArray(node) ? node[index(node, key, false)] : node[key];
    if (child === null || typeof child !== "object") throw new PatchError(`no such path: ${op.path}`);
    const cloned = copy(child);
    if (Array.isArray(node)) node[Number(key)] = cloned;
    else node[key] = cloned;
    node = cloned;
  }
  const last = keys[keys.length - 1];
  if (Array.isArray(node)) {
    if (op.op === "add") node.splice(index(node, last, true), 0, op.value);
    else if (op.op === "remove") node.splice(index(node, last, false), 1);
    else if (op.op === "replace") node[index(node, last, false)] = op.value;
    else throw new PatchError(`unsupported op: ${op.op}`);
  } else {
    if (op.op === "add") node[last] = op.value;
    else if (op.op === "remove" || op.op === "replace") {
      if (!(last in node)) throw new PatchError(`no such path: ${op.path}`);
      if (op.op === "remove") delete node[last];
      else node[last] = op.value;
    } else throw new PatchError(`unsupported op: ${op.op}`);
  }
  return root;
}

/** The document after every operation of `patch`, or a PatchError (the caller resyncs). */
export function applyPatch(doc, patch) {
  return patch.reduce(applyOp, doc);
}
