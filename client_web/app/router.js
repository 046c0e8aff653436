// Paths to screens. Links are ordinary <a href>; same-origin clicks are kept in the page.
import { useEffect, useState } from "./html.js";

const listeners = new Set();

export function navigate(path, replace = false) {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  for (const listener of listeners) listener(location.pathname);
  window.scrollTo(0, 0);
}

export function route(pathname) {
  const parts = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { screen: "start" };
  if (parts[0] === "join") return { screen: "join", code: parts[1] || "" };
  if (parts[0] === "rules") return { screen: "print", part: "rules" };
  if (parts[0] === "play" && parts[1]) return { screen: "board", game: parts[1] };
  if (parts[0] === "game" && parts[1]) {
    const game = parts[1];
    if (parts[2] === "codes") return { screen: "codes", game };
    if (parts[2] === "projector") return { screen: "projector", game };
    if (parts[2] === "debrief") return { screen: "debrief", game };
    if (parts[2] === "print") return { screen: "print", game, part: parts[3] || "roles" };
    return { screen: "facilitator", game, tab: parts[2] || "" };
  }
  return { screen: "missing" };
}

export function usePath() {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const onPop = () => setPath(location.pathname);
    listeners.add(setPath);
    window.addEventListener("popstate", onPop);
    return () => {
      listeners.delete(setPath);
      window.removeEventListener("popstate", onPop);
    };
  }, []);
  return path;
}

export function interceptLinks(root) {
  root.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const link = event.target.closest("a[href]");
    if (!link || link.target || link.hasAttribute("download")) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
    if (url.pathname === location.pathname && url.hash) return;
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  });
}
