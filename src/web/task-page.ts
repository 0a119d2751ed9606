// A task: its fields, lease and links, the description, the checkpoints as a timeline (HANDOFF
// notes stand out), the History, and the supervisor's actions as plain forms (no script needed).

import type { Entry, Task } from '../core/task.js';
import { displayTime, roughSpan } from '../core/time.js';
import { type Html, html, shown } from './html.js';
import { page, statusBadge } from './layout.js';
import type { Related, TaskPage, WebAction } from './source.js';

function link(r: Related): Html {
  const state = r.status ? statusBadge(r.status) : html`<span class="status">missing</span>`;
  return html`<a href="/task/${r.id}">#${r.id}</a> ${state} ${r.title ? shown(r.title) : ''}`;
}

/** Whether the claim's lease still holds, and for how long, as people say it. */
function leaseState(task: Task, now: Date): string | undefined {
  if (!task.lease_until) return undefined;
  const left = Date.parse(task.lease_until) - now.getTime();
  const until = displayTime(task.lease_until);
  if (left <= 0) return `expired ${roughSpan(-left)} ago (was until ${until}): anyone may steal it`;
  const minutes = Math.ceil(left / 60_000);
  const span = minutes < 120 ? `${minutes}m` : `${Math.round(minutes / 60)}h`;
  return `until ${until} (${span} left)`;
}

/** Who holds the task's claim in another clone, and until when. */
function elsewhereText(claim: NonNullable<TaskPage['claimElsewhere']>): string {
  const until = claim.lease_until
    ? `, lease ${claim.expired ? 'expired' : 'until'} ${displayTime(claim.lease_until)}`
    : '';
  return `${claim.author} in ${claim.clone}${until}`;
}

function facts(view: TaskPage, now: Date): Html {
  const { task } = view;
  const rows: Array<[string, Html | string]> = [['Status', statusBadge(task.status)]];
  if (task.author) rows.push(['Author', shown(task.author)]);
  if (task.handoff_to) rows.push(['Handoff to', shown(task.handoff_to)]);
  const lease = leaseState(task, now);
  if (lease) rows.push(['Lease', lease]);
  const claim = view.claimElsewhere;
  if (claim) rows.push(['Claimed elsewhere', shown(elsewhereText(claim))]);
  if (task.priority) rows.push(['Priority', String(task.priority)]);
  const linkLines = (related: Related[]) => html`${related.map((r) => html`<div>${link(r)}</div>`)}`;
  if (task.tags.length) rows.push(['Tags', html`${task.tags.map((t) => html`<span class="tag">${shown(t)}</span>`)}`]);
  if (view.parent) rows.push(['Parent', link(view.parent)]);
  if (view.dependencies.length) rows.push(['Depends on', linkLines(view.dependencies)]);
  if (view.subtasks.length) rows.push(['Subtasks', linkLines(view.subtasks)]);
  rows.push(['Created', displayTime(task.created)], ['Updated', displayTime(task.updated)]);
  return html`<dl class="facts">${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

function timelineEntry(entry: Entry, holder: string | undefined): Html {
  const handoff = entry.text.startsWith('HANDOFF:');
  const who = entry.author !== holder || handoff ? ` · ${shown(entry.author)}` : '';
  const time = html`<time datetime="${entry.at}">${displayTime(entry.at)}</time>`;
  const mark = handoff ? ' · handoff' : '';
  return html`<li class="${handoff ? 'handoff' : ''}"><div class="when">${time}${who}${mark}</div>
<p class="text">${shown(entry.text, true)}</p></li>`;
}

const whereToAct = html`open the address <code>hzl serve</code> printed (it carries this run's token)`;

function actionForms(task: Task, { token, actor, draft }: TaskPageOptions): Html {
  if (!token) return html`<p class="notice">Read-only: ${whereToAct} to act from this page.</p>`;
  // After <textarea> the HTML parser drops one newline: the one written there, not the draft's.
  const textField = (action: WebAction, label: string, placeholder: string) =>
    html`<label>${label}<textarea name="text" required placeholder="${placeholder}">
${draft?.action === action ? draft.text : ''}</textarea></label>`;
  const formStart = (action: string) =>
    html`<form method="post" action="/task/${task.id}/${action}" data-action="${action}">`;
  const tokenField = html`<input type="hidden" name="token" value="${token}">`;
  const post = (action: string, label: string, extra: Html | string = '') =>
    html`${formStart(action)}${tokenField}${extra}<div class="row"><button>${label}</button></div></form>`;
  const simple = html`${formStart('claim')}${tokenField}
<div class="row"><button>Claim</button>
<button class="quiet" formaction="/task/${task.id}/release">Release</button>
<button class="quiet" formaction="/task/${task.id}/complete">Complete</button></div></form>`;
  return html`<h2>Act${actor ? html` as ${shown(actor)}` : ''}</h2><div class="actions">
${simple}
${post('checkpoint', 'Add checkpoint', textField('checkpoint', 'Checkpoint', 'What is done, what is next'))}
${post('block', 'Block', textField('block', 'Reason', 'What blocks it'))}
</div>`;
}

export interface TaskPageOptions {
  token?: string; // present when the browser showed this run's token: then the forms are offered
  actor?: string;
  notice?: { text: string; error?: boolean };
  draft?: { action: WebAction; text: string }; // a refused write's text, offered again
}

export function renderTaskPage(view: TaskPage, now: Date, options: TaskPageOptions): string {
  const { task } = view;
  const checkpoints = task.checkpoints.length
    ? html`<ol class="timeline">${task.checkpoints.map((c) => timelineEntry(c, task.author))}</ol>`
    : html`<p class="empty">No checkpoints yet.</p>`;
  const history = task.history.map(
    (h) => html`<li><span class="when">${displayTime(h.at)}</span> ${shown(h.author)}: ${shown(h.text)}</li>`,
  );
  const main = html`<h1>#${task.id} ${shown(task.title)}</h1>
${facts(view, now)}
${task.description ? html`<h2>Description</h2><p class="text">${shown(task.description, true)}</p>` : ''}
<h2>Checkpoints (${task.checkpoints.length})</h2>${checkpoints}
${history.length ? html`<h2>History</h2><ul class="meta">${history}</ul>` : ''}`;
  return page({
    title: `#${task.id} ${shown(task.title)}`,
    main,
    below: actionForms(task, options),
    ...(options.notice ? { notice: options.notice } : {}),
  });
}
