// The message catalogue: every string the app shows comes from i18n/<lang>.json through t().
// Placeholders are {name}; a key with ".one"/".other" variants is chosen by {count}.
// t() returns plain strings, which Preact inserts as text nodes.
import { useEffect, useState } from "./html.js";

export const LANGUAGES = { en: "English", fr: "Français" };
const STORAGE_KEY = "normarena.language";
let current = "en";
let catalogue = {};
let fallback = {};
const listeners = new Set();

export function pickLanguage() {
  const params = new URLSearchParams(location.search);
  const asked = params.get("lang") || localStorage.getItem(STORAGE_KEY);
  if (asked && asked in LANGUAGES) return asked;
  for (const tag of navigator.languages || [navigator.language || "en"]) {
    const base = tag.toLowerCase().split("-")[0];
    if (base in LANGUAGES) return base;
  }
  return "en";
}

async function fetchCatalogue(lang) {
  const response = await fetch(`/i18n/${lang}.json`);
  if (!response.ok) throw new Error(`no catalogue for ${lang}`);
  return response.json();
}

export async function setLanguage(lang, remember = true) {
  if (!(lang in LANGUAGES)) lang = "en";
  if (lang !== "en" && Object.keys(fallback).length === 0) fallback = await fetchCatalogue("en");
  try {
    catalogue = await fetchCatalogue(lang);
  } catch {
    lang = "en";
    catalogue = Object.keys(fallback).length === 0 ? await fetchCatalogue("en") : fallback;
  }
  if (lang === "en") fallback = catalogue;
  current = lang;
  if (remember) localStorage.setItem(STORAGE_KEY, lang);
  const root = document.documentElement;
  root.lang = lang;
  const forced = new URLSearchParams(location.search).get("dir");
  root.dir = forced === "rtl" || forced === "ltr" ? forced : catalogue["meta.dir"] || "ltr";
  document.title = catalogue["app.name"] || "Norm Arena";
  for (const listener of listeners) listener(lang);
}

export function language() {
  return current;
}

function lookup(key) {
  if (key in catalogue) return catalogue[key];
  if (key in fallback) return fallback[key];
  return undefined;
}

export function has(key) {
  return lookup(key) !== undefined;
}

/** The catalogue's sentence for `key` with its {placeholders} filled in. */
export function t(key, params = {}) {
  let text;
  if ("count" in params) {
    const form = new Intl.PluralRules(current).select(params.count);
    text = lookup(`${key}.${form}`) ?? lookup(`${key}.other`);
  }
  text = text ?? lookup(key);
  if (text === undefined) {
    console.warn(`missing catalogue key: ${key}`);
    return key;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? formatValue(params[name]) : whole));
}

function formatValue(value) {
  if (typeof value === "number") return new Intl.NumberFormat(current, { maximumFractionDigits: 1 }).format(value);
  return String(value);
}

export function formatNumber(value, digits = 1) {
  return new Intl.NumberFormat(current, { maximumFractionDigits: digits }).format(value);
}

/** Re-render a component when the language changes. */
export function useLanguage() {
  const [lang, setLang] = useState(current);
  useEffect(() => {
    listeners.add(setLang);
    return () => listeners.delete(setLang);
  }, []);
  return lang;
}
