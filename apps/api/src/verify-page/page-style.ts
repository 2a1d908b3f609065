/** The verification page's stylesheet, served from /verify/style.css (no inline styles). */
export const VERIFY_PAGE_CSS = `
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #fafafa; }
main { max-width: 52rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
header { display: flex; justify-content: space-between; align-items: center; gap: 1rem; flex-wrap: wrap; }
h1 { font-size: 1.6rem; }
section { margin: 1.5rem 0; padding: 1rem; background: #fff; border: 1px solid #ddd; border-radius: 6px; }
label { display: block; font-weight: 600; margin-top: 0.75rem; }
textarea, input[type="text"], input[type="number"] { width: 100%; box-sizing: border-box; font: 13px/1.4 ui-monospace, monospace; }
textarea.dragging { outline: 3px dashed #2a6f97; }
button { margin: 0.5rem 0.5rem 0 0; padding: 0.4rem 0.9rem; font: inherit; cursor: pointer; }
button.primary { font-weight: 700; }
button[aria-pressed="true"] { font-weight: 700; text-decoration: underline; }
code { word-break: break-all; }
#result[data-verified="true"] #verdict { color: #0b6e2a; font-weight: 700; font-size: 1.3rem; }
#result[data-verified="false"] #verdict { color: #a4161a; font-weight: 700; font-size: 1.3rem; }
#failures li { color: #a4161a; }
li { word-break: break-word; margin: 0.3rem 0; }
.warning { color: #a4161a; }
`;
