// The page's style sheet and its one script, shipped inside the bundle: no CDN, no build step,
// no request leaves the machine. Pages read fine without the script; it only adds live updates.

export const STYLE = `
:root{--bg:#f6f7f9;--card:#fff;--ink:#1d2330;--dim:#5d6677;--line:#d9dde5;--accent:#2f5fd0;
--backlog:#8a8f99;--ready:#2e7d32;--in_progress:#2f5fd0;--blocked:#c62828;--done:#6a1b9a;--archived:#777}
@media (prefers-color-scheme:dark){:root{
  --bg:#15181e;--card:#1f242d;--ink:#e6e9ef;--dim:#9aa3b2;--line:#333a46;--accent:#7fa3ff
}}
*{box-sizing:border-box}
body{
  margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);
  color:var(--ink)
}
header{
  display:flex;flex-wrap:wrap;gap:.5rem 1.2rem;align-items:center;padding:.6rem 1rem;
  border-bottom:1px solid var(--line);background:var(--card)
}
header .brand{font-weight:700;text-decoration:none;color:var(--ink)}
header nav a{margin-right:.9rem}
header form{margin-left:auto;display:flex;gap:.3rem}
a{color:var(--accent)}
main,.below{padding:1rem;max-width:1400px;margin:0 auto}
.below+main,main+.below{padding-top:0}
h1{font-size:1.35rem;margin:.2rem 0 .8rem}
h2{font-size:1.05rem;margin:1.2rem 0 .5rem}
input,select,textarea,button{font:inherit;color:inherit}
input,select,textarea{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.3rem .45rem}
textarea{width:100%;min-height:4.5rem}
button{
  border:1px solid var(--accent);background:var(--accent);color:#fff;border-radius:6px;padding:.3rem .8rem;
  cursor:pointer
}
button.quiet{background:transparent;color:var(--accent)}
.filters{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin-bottom:1rem}
.board{display:grid;grid-template-columns:repeat(auto-fit,minmax(230px,1fr));gap:.8rem;align-items:start}
.column{background:transparent}
.column h2{margin:0 0 .5rem;font-size:.95rem;text-transform:uppercase;letter-spacing:.04em;color:var(--dim)}
.card{
  display:block;background:var(--card);border:1px solid var(--line);border-left:4px solid var(--line);
  border-radius:8px;padding:.55rem .7rem;margin-bottom:.55rem;color:inherit;text-decoration:none
}
.card:hover{border-color:var(--accent)}
.card .title{font-weight:600;overflow-wrap:anywhere}
.meta,.card .detail,.card .last{color:var(--dim);font-size:.85rem;overflow-wrap:anywhere}
.card .last{margin-top:.25rem;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}
.s-backlog{border-left-color:var(--backlog)}
.s-ready{border-left-color:var(--ready)}
.s-in_progress{border-left-color:var(--in_progress)}
.s-blocked{border-left-color:var(--blocked)}
.s-done{border-left-color:var(--done)}
.s-archived{border-left-color:var(--archived)}
.status{display:inline-block;padding:0 .45rem;border-radius:99px;font-size:.8rem;color:#fff;background:var(--dim)}
.status.backlog{background:var(--backlog)}
.status.ready{background:var(--ready)}
.status.in_progress{background:var(--in_progress)}
.status.blocked{background:var(--blocked)}
.status.done{background:var(--done)}
.status.archived{background:var(--archived)}
.tag{
  display:inline-block;border:1px solid var(--line);border-radius:99px;padding:0 .4rem;font-size:.78rem;
  margin-right:.2rem
}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0 0 1rem}
.facts dt{color:var(--dim)}.facts dd{margin:0;overflow-wrap:anywhere}
.text{white-space:pre-wrap;overflow-wrap:anywhere;margin:0}
.timeline{list-style:none;margin:0;padding:0 0 0 1rem;border-left:2px solid var(--line)}
.timeline li{
  position:relative;margin:0 0 .8rem;padding:.45rem .7rem;background:var(--card);border:1px solid var(--line);
  border-radius:8px
}
.timeline li::before{
  content:"";position:absolute;left:-1.45rem;top:.8rem;width:.7rem;height:.7rem;border-radius:50%;
  background:var(--accent)
}
.timeline li.handoff{border-color:#e0a000;background:color-mix(in srgb,#ffc400 14%,var(--card))}
.timeline li.handoff::before{background:#e0a000}
.timeline .when{color:var(--dim);font-size:.82rem}
.notice{padding:.5rem .8rem;border-radius:8px;border:1px solid var(--line);background:var(--card);margin:0 0 1rem}
.notice.error{border-color:var(--blocked)}
.warn{color:var(--blocked);font-size:.85rem}
.actions{display:grid;gap:.8rem;grid-template-columns:repeat(auto-fit,minmax(260px,1fr))}
.actions form{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.6rem}
.actions .row{display:flex;flex-wrap:wrap;gap:.4rem}
.live{font-size:.8rem;color:var(--dim)}
body[data-live="on"] .live::before{content:"● live";color:var(--ready)}
body[data-live="off"] .live::before{content:"○ not live: is hzl serve still running?";color:var(--blocked)}
.empty{color:var(--dim);font-style:italic}
table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:.3rem .4rem;border-bottom:1px solid var(--line);vertical-align:top}
`;

/**
 * Live updates: on each change the server announces, fetch this page again and swap its main part
 * (forms are outside it, so half-typed text survives). On (re)connecting, once more: a change may
 * have come between the page and the connection.
 */
export const SCRIPT = `
(function(){
  var body=document.body, version=0;
  function refresh(){
    fetch(location.href,{headers:{'X-Hzl-Live':'1'},credentials:'same-origin'}).then(function(r){
      return r.ok?r.text():null;
    }).then(function(text){
      if(text===null)return;
      var doc=new DOMParser().parseFromString(text,'text/html');
      var fresh=doc.getElementById('live'),here=document.getElementById('live');
      if(fresh&&here)here.replaceWith(document.importNode(fresh,true));
      body.dataset.version=String(version);
    }).catch(function(){});
  }
  if(!window.EventSource)return;
  var events=new EventSource('/events');
  events.addEventListener('ready',function(){body.dataset.live='on';refresh();});
  events.addEventListener('change',function(e){version=Number(e.data)||version+1;refresh();});
  events.onerror=function(){body.dataset.live='off';};
})();
`;
