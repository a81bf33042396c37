/**
 * The one stylesheet of the server-rendered pages, served by the app at `/assets/ui.css`
 * (a file, not a <style> block, so a CSP without 'unsafe-inline' keeps working).
 * Mobile first: a single column sized for a 375px screen, widened by a max-width on larger ones.
 * `--brand`, `--brand-ink` and `--brand-text` come from the <body> style attribute set by renderPage.
 */
export const UI_STYLESHEET = `*,*::before,*::after{box-sizing:border-box}
:root{
  --brand:#1f4e8c;
  --brand-ink:#ffffff;
  --brand-text:#1f4e8c;
  --ink:#1b1d21;
  --ink-muted:#4f5561;
  --bg:#f4f5f7;
  --surface:#ffffff;
  --line:#c9ced6;
  --input-line:#6b7280;
  --error:#b3261e;
  --error-bg:#fdf0ef;
  --warning-ink:#6b4a00;
  --warning-bg:#fff6dc;
  --warning-line:#e0b43a;
  --ok:#1e6b34;
  --ok-bg:#ecf7ef;
  --focus:#ffd33d;
  --focus-ring:#111111;
  --radius:10px;
  color-scheme:light;
}
html{font-size:100%;-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{
  margin:0;
  background:var(--bg);
  color:var(--ink);
  font-family:"Hiragino Sans","Hiragino Kaku Gothic ProN","Noto Sans JP","Yu Gothic UI","Yu Gothic",Meiryo,system-ui,-apple-system,"Segoe UI",sans-serif;
  font-size:1rem;
  line-height:1.75;
  overflow-wrap:anywhere;
  line-break:strict;
}
img{max-width:100%;height:auto}
a{color:var(--brand-text);text-underline-offset:.2em}
a:hover{text-decoration-thickness:2px}
h1,h2,h3{line-height:1.4;margin:0 0 .75rem}
h1{font-size:1.5rem}
h2{font-size:1.25rem}
h3{font-size:1.0625rem}
p{margin:0 0 1rem}

/* Focus: a yellow halo with a dark edge is visible on white, on the brand bar and on buttons. */
:focus-visible{outline:3px solid transparent;box-shadow:0 0 0 3px var(--focus),0 0 0 6px var(--focus-ring)}
a:focus-visible{background:var(--focus);color:var(--focus-ring);text-decoration:none;border-radius:2px}
.error-summary:focus{outline:3px solid transparent;box-shadow:0 0 0 3px var(--focus),0 0 0 6px var(--focus-ring)}

.visually-hidden{position:absolute!important;width:1px!important;height:1px!important;margin:-1px!important;padding:0!important;overflow:hidden!important;clip:rect(0 0 0 0)!important;clip-path:inset(50%)!important;white-space:nowrap!important;border:0!important}
/* Honeypot: out of sight and out of the tab order, but still in the form for bots to fill. */
.hp{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}

.skip-link{position:absolute;left:.5rem;top:-100px;z-index:10;padding:.75rem 1rem;background:var(--surface);color:var(--ink);font-weight:700;border-radius:var(--radius)}
.skip-link:focus{top:.5rem}

.site-header{background:var(--brand);color:var(--brand-ink)}
.site-header__inner{max-width:40rem;margin:0 auto;padding:.875rem 1rem;display:flex;align-items:center;gap:.75rem;min-height:3.5rem}
.site-header__logo{display:block;max-height:2.5rem;width:auto;background:#fff;border-radius:6px;padding:2px}
.site-header__name{margin:0;font-size:1.0625rem;font-weight:700;line-height:1.4}

.page{max-width:40rem;margin:0 auto;padding:1.25rem 1rem 3rem}
.card{background:var(--surface);border:1px solid var(--line);border-radius:var(--radius);padding:1.25rem 1rem;margin:0 0 1.25rem}
.lead{font-size:1.0625rem}
.muted{color:var(--ink-muted)}
.small{font-size:.875rem}
.pre-wrap{white-space:pre-wrap}
.steps{margin:0 0 1rem;padding-left:1.5rem}
.steps li{margin:0 0 .5rem}

.callout{border-left:5px solid var(--brand);background:var(--surface);border-radius:0 var(--radius) var(--radius) 0;padding:1rem;margin:0 0 1.25rem}
.callout__title{font-weight:700;margin:0 0 .25rem}
.callout p:last-child{margin-bottom:0}
.phone-link{display:inline-flex;align-items:center;min-height:48px;font-size:1.375rem;font-weight:700;letter-spacing:.03em}

/* Forms */
.form{margin:0}
.field{margin:0 0 1.5rem}
.field__label{display:block;font-weight:700;margin:0 0 .375rem}
.tag{display:inline-block;margin-left:.5rem;padding:0 .5rem;border-radius:4px;font-size:.75rem;font-weight:700;line-height:1.6;vertical-align:.1em}
.tag--required{background:var(--error);color:#fff}
.tag--optional{background:#e4e7ec;color:var(--ink-muted)}
.field__hint{color:var(--ink-muted);font-size:.9375rem;margin:0 0 .5rem}
.field__warning{color:var(--warning-ink);background:var(--warning-bg);border-left:4px solid var(--warning-line);padding:.5rem .75rem;font-size:.9375rem;margin:0 0 .5rem}
.field__error{color:var(--error);font-weight:700;margin:.5rem 0 0;display:flex;gap:.5rem;align-items:flex-start}
.field__error-icon{flex:none;display:inline-flex;align-items:center;justify-content:center;width:1.375rem;height:1.375rem;margin-top:.2rem;border-radius:50%;background:var(--error);color:#fff;font-size:.875rem;line-height:1}
.field--invalid{border-left:4px solid var(--error);padding-left:.75rem}
/* 16px or more, or iOS zooms the page on focus. */
.input{display:block;width:100%;min-height:48px;padding:.625rem .75rem;font:inherit;font-size:max(1rem,16px);line-height:1.5;color:var(--ink);background:#fff;border:2px solid var(--input-line);border-radius:8px;appearance:none}
.input:focus-visible{border-color:var(--focus-ring)}
/* Error-summary links jump to the control; keep its label (above it) in view too. */
.input,.checkbox__input{scroll-margin-top:6rem}
.input[aria-invalid="true"]{border-color:var(--error)}
.input--textarea{min-height:10rem;resize:vertical}
.input--select{padding-right:2.5rem;background-image:linear-gradient(45deg,transparent 50%,var(--ink) 50%),linear-gradient(135deg,var(--ink) 50%,transparent 50%);background-position:calc(100% - 1.25rem) 55%,calc(100% - .9rem) 55%;background-size:.35rem .35rem;background-repeat:no-repeat}
.checkbox{display:flex;gap:.75rem;align-items:flex-start}
.checkbox__input{flex:none;width:1.75rem;height:1.75rem;margin:.125rem 0 0;accent-color:var(--brand)}
.checkbox__label{flex:1;padding:.125rem 0;min-height:44px;cursor:pointer}
.consent-text{font-size:.9375rem;background:var(--bg);border-radius:8px;padding:.75rem;margin:0 0 .75rem}
.button{display:inline-flex;align-items:center;justify-content:center;width:100%;min-height:52px;padding:.75rem 1.5rem;font:inherit;font-size:1.0625rem;font-weight:700;color:var(--brand-ink);background:var(--brand);border:2px solid rgba(0,0,0,.12);border-radius:999px;cursor:pointer}
.button:hover{filter:brightness(.92)}
.button:active{transform:translateY(1px)}

.error-summary{border:3px solid var(--error);background:var(--error-bg);border-radius:var(--radius);padding:1rem;margin:0 0 1.5rem}
.error-summary__title{color:var(--error);font-size:1.125rem}
.error-summary__list{margin:0;padding-left:1.25rem}
.error-summary__list li{margin:.25rem 0}
.error-summary__list a{color:var(--error);font-weight:700}
.error-summary__list a:focus-visible{color:var(--focus-ring)}

.notice{border-left:5px solid var(--ok);background:var(--ok-bg);color:var(--ok);font-weight:700;padding:.75rem 1rem;border-radius:0 var(--radius) var(--radius) 0;margin:0 0 1.25rem}

/* Thank-you page: a reference readable aloud over the phone. */
.reference{display:block;margin:.5rem 0 1rem;padding:.75rem 1rem;background:var(--bg);border:2px dashed var(--line);border-radius:var(--radius);font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:clamp(1.5rem,7vw,2.25rem);font-weight:700;letter-spacing:.15em;text-align:center;white-space:nowrap;overflow-wrap:normal;overflow-x:auto;user-select:all}

/* Status page */
.meta{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem;margin:0}
.meta dt{color:var(--ink-muted);font-size:.9375rem}
.meta dd{margin:0;font-weight:700}
.status-badge{display:inline-block;padding:0 .625rem;border-radius:999px;background:var(--brand);color:var(--brand-ink);font-size:.9375rem}
.thread{list-style:none;margin:0 0 1.5rem;padding:0;display:flex;flex-direction:column;gap:1rem}
.msg{max-width:92%;border-radius:14px;padding:.75rem 1rem;border:1px solid var(--line)}
.msg--reply{align-self:flex-start;background:var(--surface);border-left:5px solid var(--brand);border-top-left-radius:4px}
.msg--customer{align-self:flex-end;background:#e9eef6;background:color-mix(in srgb,var(--brand) 10%,#fff);border-top-right-radius:4px}
.msg__meta{display:flex;flex-wrap:wrap;gap:0 .75rem;margin:0 0 .375rem;font-size:.8125rem;color:var(--ink-muted)}
.msg__author{font-weight:700;color:var(--ink)}
/* Issue 13.3: a correction and the answer it replaces. */
.msg__correction{color:var(--error);font-weight:700}
.msg--corrected .msg__body{color:var(--ink-muted)}
.msg__corrected{margin:0 0 .375rem;padding:.25rem .5rem;border-radius:6px;background:var(--warning-bg);color:var(--warning-ink);font-weight:700;font-size:.875rem}
/* A <span> in the markup, so formatters never add whitespace that pre-wrap would show. */
.msg__body{display:block;white-space:pre-wrap;overflow-wrap:anywhere;margin:0}
.empty{color:var(--ink-muted)}

.site-footer{max-width:40rem;margin:0 auto;padding:0 1rem 2rem;color:var(--ink-muted);font-size:.8125rem}

@media (min-width:40em){
  .card{padding:1.5rem}
  .button{width:auto;min-width:14rem}
  h1{font-size:1.75rem}
}
@media (prefers-reduced-motion:reduce){*{transition:none!important;animation:none!important}}
@media (forced-colors:active){.tag,.status-badge,.button{border:1px solid}}
@media print{.site-header{background:none;color:#000}.button,.skip-link,.hp{display:none}}
`;
