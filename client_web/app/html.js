// htm bound to Preact's h: every screen writes html`...` instead of JSX, with no build step.
// Interpolated values are text or attributes, never markup: player text stays text.
import { h, render, Fragment } from "preact";
import htm from "htm";

export const html = htm.bind(h);
export { h, render, Fragment };
export { useState, useEffect, useMemo, useRef, useCallback, useReducer } from "preact/hooks";
