/**
 * The agent console's additions to @madoguchi/ui's stylesheet, served at `/assets/console.css`
 * after `/assets/ui.css`. Built for a laptop worked on all day: wide layout, dense but calm
 * tables, and SLA states marked by a text label and a border as well as colour.
 */
export const CONSOLE_STYLESHEET = `
:root{
  --console-max:90rem;
  --breached:#b3261e;
  --breached-bg:#fdecea;
  --due-soon:#7a4d00;
  --due-soon-bg:#fff3d6;
  --note-bg:#fff8e1;
  --note-line:#c99a06;
}
body{line-height:1.65}
.console-header{background:#1b2a41;color:#fff}
.console-header__inner{max-width:var(--console-max);margin:0 auto;padding:.5rem 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;min-height:3.5rem}
.console-brand{color:#fff;text-decoration:none;font-weight:700;font-size:1.25rem;display:inline-flex;align-items:baseline;gap:.5rem}
.console-brand__latin{font-size:.875rem;font-weight:400;opacity:.85;letter-spacing:.05em}
.console-nav__list{list-style:none;display:flex;gap:.25rem;margin:0;padding:0}
.console-nav__link{display:inline-block;color:#fff;text-decoration:none;padding:.375rem .75rem;border-radius:6px;font-weight:700}
.console-nav__link:hover{background:rgba(255,255,255,.12)}
.console-nav__link[aria-current="page"]{background:#fff;color:#1b2a41}
.console-search{display:flex;gap:.375rem;align-items:center;flex:1 1 16rem;max-width:28rem}
.console-search__input{flex:1;min-width:0;min-height:36px;padding:.25rem .625rem;font:inherit;font-size:.9375rem;border:2px solid #8893a6;border-radius:6px;background:#fff;color:var(--ink)}
.console-user{display:flex;align-items:center;gap:.75rem;margin-left:auto;font-size:.9375rem}
.console-user form{margin:0}
.console-header .btn--ghost{color:#fff;border-color:rgba(255,255,255,.6);background:transparent}
.console-main{max-width:var(--console-max);margin:0 auto;padding:1.25rem 1rem 2rem}
.console-main:focus{outline:none}
.console-footer{max-width:var(--console-max);margin:0 auto;padding:0 1rem 2rem;font-size:.875rem}

/* Buttons of the console: compact, not the intake's full-width pill. */
.btn{display:inline-flex;align-items:center;justify-content:center;gap:.375rem;min-height:40px;padding:.375rem 1rem;font:inherit;font-size:.9375rem;font-weight:700;line-height:1.3;color:#fff;background:#2f4a70;border:2px solid #2f4a70;border-radius:8px;cursor:pointer;text-decoration:none}
.btn:hover{filter:brightness(1.1)}
.btn--primary{background:#1f5fbf;border-color:#1f5fbf}
.btn--ghost{background:#fff;color:#1b2a41;border-color:#6b7280}
.btn--danger{background:var(--breached);border-color:var(--breached)}
.btn--small{min-height:34px;padding:.125rem .75rem;font-size:.875rem}
.button-row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:0 0 .75rem}
.button-row form{margin:0}

.console-alert{display:flex;gap:.75rem;align-items:flex-start;border:3px solid var(--due-soon);background:var(--due-soon-bg);color:#3d2700;border-radius:var(--radius);padding:.875rem 1rem;margin:0 0 1.25rem;font-weight:700}
.console-alert:focus{outline:3px solid transparent;box-shadow:0 0 0 3px var(--focus),0 0 0 6px var(--focus-ring)}
.console-alert__icon{flex:none;display:inline-flex;align-items:center;justify-content:center;width:1.5rem;height:1.5rem;border-radius:50%;background:var(--due-soon);color:#fff}
.console-alert__text{margin:0}

/* Tables */
.table-wrap{overflow-x:auto;background:var(--surface);border:1px solid var(--line);border-radius:var(--radius);margin:0 0 1rem}
.ticket-table,.queue-table,.canned-table{width:100%;border-collapse:collapse;font-size:.9375rem}
.ticket-table th,.ticket-table td,.queue-table th,.queue-table td,.canned-table th,.canned-table td{padding:.5rem .75rem;border-bottom:1px solid #e3e6eb;text-align:left;vertical-align:top}
.ticket-table thead th,.queue-table thead th,.canned-table thead th{background:#eef1f5;font-size:.8125rem;color:var(--ink-muted);white-space:nowrap}
.ticket-table tbody tr:hover,.queue-table tbody tr:hover{background:#f6f8fb}
.num{text-align:right!important;font-variant-numeric:tabular-nums}
.ticket-link{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-weight:700;white-space:nowrap}
.ticket-row--breached{background:var(--breached-bg);box-shadow:inset 5px 0 0 var(--breached)}
.ticket-row--due-soon{background:var(--due-soon-bg);box-shadow:inset 5px 0 0 var(--due-soon)}
.sla-cell{white-space:nowrap}
.sla{display:inline-flex;align-items:center;gap:.25rem;font-size:.8125rem;font-weight:700;border-radius:4px;padding:0 .375rem}
.sla--breached{background:var(--breached);color:#fff}
.sla--due_soon{background:var(--due-soon);color:#fff}
.sla--on_track{color:var(--ok)}
.sla--none{color:var(--ink-muted);font-weight:400}
.count--breached{color:var(--breached)}
.count--due-soon{color:var(--due-soon)}
.count--zero{color:var(--ink-muted)}
.queue-row--breached th{box-shadow:inset 5px 0 0 var(--breached)}
.badge{display:inline-block;padding:0 .5rem;border-radius:999px;font-size:.8125rem;font-weight:700;background:#e4e7ec;color:var(--ink);white-space:nowrap}
.badge--new{background:#dbe8ff;color:#123a7a}
.badge--open{background:#d9f0e3;color:#145230}
.badge--pending_customer,.badge--pending_merchant{background:#f1e6ff;color:#4a2380}
.badge--resolved,.badge--closed{background:#e4e7ec;color:#3a3f48}
.badge--handed_back{background:#ffe6d5;color:#7a3300}
.priority--high,.priority--urgent{font-weight:700;color:var(--breached)}
.list-count{margin:.5rem 0;font-size:.875rem;color:var(--ink-muted)}
.pager{display:flex;gap:.75rem;align-items:center;justify-content:center;margin:0 0 1rem}

/* Queue page */
.take-next{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;margin:0 0 1rem}
.take-next p{margin:0}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;background:var(--surface);border:1px solid var(--line);border-radius:var(--radius);padding:.75rem 1rem;margin:0 0 .75rem}
.filters .field{margin:0;min-width:11rem}
.filters .input,.form--inline .input{min-height:40px;padding:.25rem .5rem;font-size:.9375rem}
.filters__actions{display:flex;gap:.5rem}

/* Ticket page */
.ticket-head{display:flex;flex-wrap:wrap;align-items:baseline;gap:.5rem 1rem}
.ticket-head__badges{display:flex;gap:.5rem;margin:0}
.ticket-layout{display:grid;grid-template-columns:1fr;gap:1.25rem}
@media (min-width:64em){.ticket-layout{grid-template-columns:minmax(0,1fr) 24rem}}
.card{padding:1rem 1.25rem}
.card h2{font-size:1.0625rem}
.meta{grid-template-columns:max-content 1fr}
.meta dd{font-weight:400}
.meta--compact{gap:0 1rem;font-size:.9375rem}
.literal{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;overflow-wrap:anywhere}
.assignee-note{border-left:5px solid #2f4a70;background:#eef2f8;padding:.5rem .875rem;border-radius:0 var(--radius) var(--radius) 0;font-weight:700}
.assignee-note--other{border-color:var(--due-soon);background:var(--due-soon-bg)}
.thread--console .msg{max-width:100%}
.msg--customer{align-self:stretch;background:#eaf1fb;border-left:5px solid #1f5fbf}
.msg--reply{align-self:stretch;background:#fff;border-left:5px solid #145230}
.msg--note{align-self:stretch;background:var(--note-bg);border:2px dashed var(--note-line)}
.msg--system,.msg--call{align-self:stretch;background:#f1f2f4;font-size:.9375rem}
.msg__kind{font-weight:700;color:var(--ink)}
.msg--note .msg__kind{color:#6b4a00}
.msg--merchant_query{align-self:stretch;background:#f6f0ff;border:2px solid #6a3fb0;border-left-width:6px}
.msg--merchant_answer{align-self:stretch;background:#f0f7f4;border:2px solid #1d6b4a;border-left-width:6px}
.msg--merchant_query .msg__kind{color:#4a2380}
.msg--merchant_answer .msg__kind{color:#145230}
.card--merchant-query{border-top:4px solid #6a3fb0}
.question-quote{margin:0 0 1rem;padding:.5rem .875rem;border-left:5px solid #6a3fb0;background:#f6f0ff;overflow-wrap:anywhere}
.question-quote__body{display:block;white-space:pre-wrap;margin:.25rem 0 0}
.waiting-bar{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin:0 0 1rem;padding:.625rem .875rem;border:1px solid #c9b8e6;border-radius:var(--radius);background:#faf7ff}
.portal-tabs{display:flex;flex-wrap:wrap;gap:.5rem;margin:0 0 1rem;padding:0;list-style:none}
.msg__delivery{font-size:.75rem;border:1px solid var(--line);border-radius:4px;padding:0 .375rem}
.msg__delivery--failed{border-color:var(--breached);color:var(--breached);font-weight:700}
/* Issue 13.2/13.3: approved-answer provenance, corrections, version diff and sample preview. */
.msg__answer{font-size:.75rem;border:1px solid var(--line);border-radius:4px;padding:0 .375rem}
.msg__answer--edited{border-color:var(--due-soon);color:var(--due-soon);background:var(--due-soon-bg);font-weight:700}
.msg__answer--correction{border-color:var(--breached);color:var(--breached);font-weight:700}
.text-diff{white-space:pre-wrap;overflow-wrap:anywhere;border:1px solid var(--line);border-radius:6px;padding:.5rem .75rem;margin:.25rem 0 .75rem}
.text-diff ins{background:#d9f0e3;color:#0d3d22;text-decoration:underline}
.text-diff del{background:#fdecea;color:#7a1712;text-decoration:line-through}
.answer-preview{border:2px dashed var(--line);border-radius:6px;padding:.5rem .75rem;margin:.25rem 0 .75rem}
.answer-preview__label{font-weight:700;color:var(--due-soon)}
.badge--in-use{background:#d9f0e3;color:#145230}
.card--reply{border-top:4px solid #1f5fbf}
.card--note{border-top:4px solid var(--note-line);background:#fffdf5}
.canned{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin:0 0 1rem;padding:0 0 1rem;border-bottom:1px solid #e3e6eb}
.canned .field{margin:0;flex:1 1 14rem}
.canned .input{min-height:40px;padding:.25rem .5rem}
.field{margin:0 0 1rem}
.input--textarea{min-height:6rem}
.fieldset{border:0;padding:0;margin:0 0 1rem}
.radio{display:flex;gap:.5rem;align-items:center;min-height:32px}
.radio__input{width:1.125rem;height:1.125rem;margin:0;accent-color:#1f5fbf}
.form--inline{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
.form--inline .field{margin:0;flex:1 1 10rem}

/* Login and second-factor pages (apps/desk/src/auth) */
.auth-card{max-width:32rem;margin:2rem auto;background:var(--surface);border:1px solid var(--line);border-radius:var(--radius);padding:1.5rem}
.auth-form .btn{min-width:10rem}
.console-alert__text p{margin:.25rem 0 0}
.totp-qr svg{display:block;width:12rem;height:12rem}
.totp-secret{background:var(--bg);border-radius:8px;padding:.75rem}
.totp-secret__key,.totp-secret__uri{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;overflow-wrap:anywhere}

/* Shortcut help */
.shortcuts{background:var(--surface);border:1px solid var(--line);border-radius:var(--radius);padding:.5rem 1rem}
.shortcuts__summary{cursor:pointer;font-weight:700}
.shortcuts__list{display:grid;grid-template-columns:repeat(auto-fill,minmax(18rem,1fr));gap:.25rem 1.5rem;margin:.5rem 0 0}
.shortcuts__item{display:flex;gap:.75rem}
.shortcuts__item dt{min-width:3.5rem}
.shortcuts__item dd{margin:0}
kbd{display:inline-block;min-width:1.5em;padding:0 .375rem;border:1px solid #8893a6;border-bottom-width:2px;border-radius:4px;background:#fff;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.8125rem;text-align:center}
.is-updated{animation:console-flash 1.2s ease-out}
@keyframes console-flash{from{background:#fff6c2}to{background:transparent}}
@media print{.console-header,.console-footer,.take-next,.filters,form{display:none}}
@media (forced-colors:active){.sla,.badge,.btn{border:1px solid}}

/* The incident report (apps/desk/src/incident-report): screen, then a clean A4 print */
.report-actions{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;margin:0 0 1rem}
.report-actions__hint{flex:1 1 100%;margin:0}
.report-merchants__list{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:0 0 1rem;padding:0}
.report-merchants__list a[aria-current="page"]{font-weight:700;text-decoration:none}
.report-header__list{display:grid;grid-template-columns:minmax(8rem,12rem) 1fr;gap:.25rem 1rem;margin:0}
.report-header__list>div{display:contents}
.report-header__list dt{font-weight:700}
.report-header__list dd{margin:0}
.report-header__text{white-space:pre-wrap}
.report-merchant{margin:1.5rem 0 0}
.report-merchant__heading{border-bottom:2px solid #1b2a41;padding-bottom:.25rem}
.report-part h3{font-size:1rem;margin:1rem 0 .5rem}
.report-table__table{width:100%;border-collapse:collapse;font-size:.9375rem}
.report-table__table caption{text-align:left;font-weight:700;padding:.5rem .75rem}
.report-table__table th,.report-table__table td{padding:.375rem .75rem;border-bottom:1px solid #e3e6eb;vertical-align:top}
.report-table__table th[scope="row"]{text-align:left;font-weight:400}
.report-table__table thead th{background:#eef1f5;font-size:.8125rem;color:var(--ink-muted);text-align:right;white-space:nowrap}
.report-table__table td{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap;width:1%}
.report-table__table tr[data-row="total"]{font-weight:700}
.report-table__note{margin:-.5rem 0 1rem}
@media (max-width:40rem){.report-header__list{grid-template-columns:1fr}}
.outbox-list{list-style:none;margin:0;padding:0}
.outbox-item{border-top:1px solid var(--line);padding:.75rem 0}
.outbox-item__title{font-size:1rem;margin:0 0 .375rem}
.outbox-item .button-row{margin-top:.5rem}
@page{size:A4;margin:15mm 12mm 15mm 12mm}
@media print{
  .incident-report{font-size:9.5pt;line-height:1.45}
  .incident-report .report-actions,.incident-report .report-merchants{display:none}
  .incident-report .card,.incident-report .table-wrap{border:0;padding:0;overflow:visible;background:none}
  .console-main{max-width:none;padding:0}
  .incident-report h1{font-size:16pt;margin:0 0 .5rem}
  .report-merchant{break-before:page;margin:0}
  .report-header{break-after:page}
  .report-merchant__heading,.report-part h3{break-after:avoid}
  .report-table{break-inside:avoid}
  .report-table__table{width:100%;border-collapse:collapse}
  .report-table__table th,.report-table__table td{border:1px solid #999;padding:1pt 4pt}
  .report-table__table thead{display:table-header-group}
  .report-table__table tr{break-inside:avoid}
  [data-table="inquiries.day"]{break-inside:auto}
  .incident-report a{color:inherit;text-decoration:none}
}
`;
