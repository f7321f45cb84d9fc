// tsuzuku admin console: a page over the admin API (docs/admin-api.md), with the administrator's
// bearer token from the identity provider (OpenID Connect, authorization code with PKCE), kept in
// this page's memory only. No framework: the API does the work, this file shows it and asks it.
'use strict';

const OUTCOMES = {
  SCHEDULED: '予約', MOVED: '日付変更', WITHDRAWN: '取り消し', SENT: '送付',
  CANCELLED: '解約', SKIPPED: '対象外', HELD_BACK: '送付を見送り', REFUSED: '実行不可',
};
const REASONS = {
  NOT_IN_ERROR: 'エラー状態ではありません', LEGACY_COHORT: '旧決済の契約です', UNKNOWN_CONTRACT: '契約が見つかりません',
  ATTEMPT_BUDGET_EXCEEDED: '30日間の決済試行の上限(15回)に達しています',
  NEW_CARD_REQUIRED: 'このカードには再決済できません(新しいカードの登録が必要です)',
  DATE_OUT_OF_RANGE: '決済日は今日から90日以内で選んでください', NO_PENDING_MANUAL_RETRY: '予定された手動リトライはありません',
  CHANGED_MEANWHILE: '処理中に契約が変わりました。もう一度お試しください', RECENTLY_NOTIFIED: '30日以内に最終案内を送付済みです',
  ALREADY_CANCELLED: '解約済みです', NOT_ALLOWED_IN_ACTIVE: '未払いの決済がありません',
  CONTACT_BUDGET: 'この支援者への連絡の上限に達しています', QUIET_HOURS: '夜間は送付しません。時間をおいてお試しください',
};
const EVENTS = {
  REGISTERED: '契約の登録', SCHEDULED_CHARGE_FAILED: '定期決済の失敗', AUTOMATIC_RETRY_FAILED: '自動リトライの失敗',
  RETRIES_EXHAUSTED: '自動リトライの終了', REPAYMENT_DEADLINE_PASSED: '再決済期限の経過', PAYMENT_SUCCEEDED: '決済の成功',
  MANUAL_RETRY_FAILED: '手動リトライの失敗', REPAYMENT_FAILED: '再決済の失敗', RETRY_SCHEDULED: 'リトライの予定',
  MANUAL_RETRY_REQUESTED: '手動リトライの予約', MANUAL_RETRY_WITHDRAWN: '手動リトライの取り消し',
  FINAL_NOTICE_SENT: '最終案内の送付', CANCELLED_BY_ADMINISTRATOR: '管理者による解約', CANCELLED_BY_SUPPORTER: '支援者による解約',
  PAYMENT_METHOD_UPDATED: '支援者によるカードの更新', REPAYMENT_REQUESTED: '再決済依頼の送付',
};
// the label of each status, as this deployment configures it: read from the API once signed in
let STATUSES = {};
const BANDS = {
  UNDER_1_MONTH: '1か月未満', MONTHS_1_TO_3: '1〜3か月', MONTHS_3_TO_6: '3〜6か月', MONTHS_6_TO_12: '6〜12か月',
  OVER_12_MONTHS: '12か月以上',
};
const PATHS = { AUTO_RETRY: '自動リトライ', MANUAL_RETRY: '手動リトライ', SUPPORTER_REPAYMENT: '支援者の再決済', SCHEDULED: '定期決済' };
const EXPIRED = 'セッションの有効期限が切れました。もう一度サインインしてください。';
const ACTIONS = {
  'manual-retries': '手動リトライ', 'final-notices': '解約前の最終案内', 'repayment-requests': '再決済依頼', 'cancellations': '解約',
};
const dateFormat = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
});

const $ = (selector) => document.querySelector(selector);
const state = { token: null, org: null, filter: {}, cursors: [null], page: [], selection: { mode: 'ids', ids: new Set() }, pending: null };

// --- formatting: dates as YYYY/MM/DD in Asia/Tokyo, amounts as ¥1,000

function day(value) {
  if (!value) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value.replaceAll('-', '/');
  return dateFormat.format(new Date(value));
}
// dates are typed as YYYY/MM/DD (or YYYY-MM-DD, or 2027年5月25日), whatever the browser's locale,
// and sent to the API as YYYY-MM-DD
function isoDate(text) {
  const match = /^\s*(\d{4})\s*[\/\-年.]\s*(\d{1,2})\s*[\/\-月.]\s*(\d{1,2})\s*日?\s*$/.exec(text || '');
  if (!match) return null;
  const [year, month, date] = match.slice(1).map(Number);
  const parsed = new Date(Date.UTC(year, month - 1, date));
  if (parsed.getUTCFullYear() !== year || parsed.getUTCMonth() !== month - 1 || parsed.getUTCDate() !== date) return null;
  return parsed.toISOString().substring(0, 10);
}
function dateOf(input) {
  const text = input.value.trim();
  if (!text) return '';
  const iso = isoDate(text);
  if (!iso) {
    input.setAttribute('aria-invalid', 'true');
    throw new Error('日付は 2027/05/25 の形で入力してください(「' + text + '」)。');
  }
  input.removeAttribute('aria-invalid');
  return iso;
}
function showDate(input, iso) {
  input.value = isoDate(iso) ? day(iso) : (iso || '');
  input.removeAttribute('aria-invalid');
}
function dayTime(value) {
  return value ? dateTimeFormat.format(new Date(value)) : '—';
}
function yen(amount) {
  return '¥' + Number(amount).toLocaleString('ja-JP');
}
function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}
function badge(status, label) {
  const span = document.createElement('span');
  span.className = 'badge badge-' + status.toLowerCase();
  span.textContent = label;
  return span;
}

// --- the token and the API

const INVALID = 'トークンが無効です。サインインし直してください。';
function signIn(token) {
  let payload;
  try {
    payload = JSON.parse(decodeURIComponent(escape(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')))));
  } catch (error) {
    signOut();
    show(INVALID);
    return;
  }
  if (payload.exp && payload.exp * 1000 <= Date.now()) {
    signOut();
    show(EXPIRED);
    return;
  }
  state.token = token;
  // the session ends when the token does, with a message rather than a failing request
  clearTimeout(state.expiry);
  if (payload.exp) {
    state.expiry = setTimeout(() => { signOut(true); show(EXPIRED); }, Math.min(payload.exp * 1000 - Date.now(), 2 ** 31 - 1));
  }
  state.org = payload.org;
  // a token without the acting scope reads only: the bulk operations are not offered at all
  state.readOnly = !String(payload.scope || payload.scp || '').split(' ').includes('contracts:write');
  $('#org-name').textContent = '団体: ' + state.org + (state.readOnly ? '（閲覧のみ）' : '');
  document.body.classList.toggle('read-only', state.readOnly);
  for (const element of document.querySelectorAll('.selection, .actions')) {
    element.hidden = state.readOnly;
  }
}
// an ended session keeps the page it was on, to come back to after signing in again
function signOut(keepPage) {
  if (keepPage === true && location.hash.startsWith('#/') && location.hash !== '#/sign-in') state.next = location.hash;
  clearTimeout(state.expiry);
  state.token = null;
  if (location.hash === '#/sign-in') route(); else location.hash = '#/sign-in';
}
// while any request is under way the page says so: a page caught before its data arrives is
// loading, not empty
function loading(change) {
  state.loading = (state.loading || 0) + change;
  $('#loading').hidden = state.loading === 0;
  $('#main').setAttribute('aria-busy', String(state.loading > 0));
}
async function api(method, path, body, extraHeaders) {
  return request('/api/orgs/' + encodeURIComponent(state.org) + path, method, body, extraHeaders);
}
// the crm-sync-service's integration API, at the address the console's configuration gives
async function integrationApi(method, path, body) {
  return request(state.salesforceApi + '/api/orgs/' + encodeURIComponent(state.org) + '/salesforce' + path, method, body);
}
async function request(url, method, body, extraHeaders) {
  const headers = { Authorization: 'Bearer ' + state.token, ...(extraHeaders || {}) };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  loading(+1);
  let response;
  try {
    response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (unreachable) {
    throw new Error('サーバーに接続できません。しばらくしてからもう一度お試しください。');
  } finally {
    loading(-1);
  }
  if (response.status === 401) {
    signOut(true);
    throw new Error(/expired/i.test(response.headers.get('WWW-Authenticate') || '') ? EXPIRED
      : INVALID);
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    const error = new Error(response.status === 404 ? '見つかりません' : (problem.detail || ('エラー ' + response.status)));
    error.status = response.status;
    error.code = problem.code;
    throw error;
  }
  return response;
}
function show(message, kind) {
  const element = $('#message');
  element.textContent = message;
  element.className = kind || 'error';
  element.hidden = !message;
}

// --- charts (Apache ECharts, SVG): each beside a table of the same figures

function chart(id, option) {
  const element = $('#' + id);
  const instance = echarts.getInstanceByDom(element) || echarts.init(element, null, { renderer: 'svg' });
  instance.setOption({
    animation: false,
    aria: { enabled: true },
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
    color: ['#0b3d5c', '#b35900', '#1a7f37', '#8250df'],
    tooltip: { trigger: 'axis' },
    grid: { left: 64, right: 16, top: 40, bottom: 32 },
    ...option,
  }, true);
  instance.resize();
  return instance;
}
function link(href, text) {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  return a;
}
function contractsWhere(filter) {
  return '#/contracts?' + new URLSearchParams(filter);
}

// --- the summary: the organisation at a glance, each figure a link to its contracts

async function loadSummary() {
  const summary = await (await api('GET', '/summary')).json();
  state.today = summary.today;
  $('#summary-today').textContent = '(' + day(summary.today) + ' 現在)';
  const byStatus = $('#summary-status tbody');
  byStatus.replaceChildren();
  for (const s of summary.byStatus) {
    const tr = document.createElement('tr');
    cell(tr, '').appendChild(badge(s.status, STATUSES[s.status]));
    cell(tr, '', 'number').appendChild(link(contractsWhere({ status: s.status }), s.contracts + ' 件'));
    cell(tr, yen(s.monthlyYen), 'number');
    byStatus.appendChild(tr);
  }
  const ages = $('#summary-error-age tbody');
  ages.replaceChildren();
  for (const a of summary.errorByAge) {
    const tr = document.createElement('tr');
    cell(tr, BANDS[a.band]);
    const filter = { status: 'ERROR' };
    if (a.errorSinceFrom) filter.errorSinceFrom = a.errorSinceFrom;
    if (a.errorSinceBefore) filter.errorSinceBefore = a.errorSinceBefore;
    cell(tr, '', 'number').appendChild(link(contractsWhere(filter), a.contracts + ' 件'));
    cell(tr, yen(a.monthlyYen), 'number');
    ages.appendChild(tr);
  }
  chart('chart-error-age', {
    tooltip: { trigger: 'axis', valueFormatter: (n) => n + ' 件' },
    xAxis: { type: 'category', data: summary.errorByAge.map((a) => BANDS[a.band]) },
    yAxis: { type: 'value', name: '契約数', minInterval: 1 },
    series: [{ name: 'エラーの契約', type: 'bar', data: summary.errorByAge.map((a) => a.contracts),
      label: { show: true, position: 'top' } }],
  });
  const retries = $('#summary-retries tbody');
  retries.replaceChildren();
  const coming = summary.manualRetries.filter((d) => d.contracts > 0);
  for (const d of coming) {
    const tr = document.createElement('tr');
    cell(tr, day(d.retryOn));
    cell(tr, '', 'number').appendChild(link(contractsWhere({ manualRetryOn: d.retryOn }), d.contracts + ' 件'));
    cell(tr, yen(d.monthlyYen), 'number');
    retries.appendChild(tr);
  }
  $('#summary-retries').hidden = coming.length === 0;
  $('#summary-retries-none').hidden = coming.length > 0;
}

// --- the contract list

function filterFromForm() {
  const filter = {};
  for (const element of $('#filters').elements) {
    const value = element.classList.contains('date') ? dateOf(element) : element.value;
    if (element.name && value && element.name !== 'limit') filter[element.name] = value;
  }
  return filter;
}
function showFilter(parameters) {
  const form = $('#filters');
  for (const element of form.elements) {
    if (!element.name || element.name === 'limit') continue;
    if (element.classList.contains('date')) showDate(element, parameters.get(element.name));
    else element.value = parameters.get(element.name) || '';
  }
  state.filter = filterFromForm();
  state.cursors = [null];
  state.selection = { mode: 'ids', ids: new Set() };
}
function query(filter, extra) {
  const parameters = new URLSearchParams({ ...filter, ...(extra || {}) });
  return parameters.toString() ? '?' + parameters : '';
}
async function loadPage() {
  show('');
  const cursor = state.cursors[state.cursors.length - 1];
  const extra = { limit: $('#filter-limit').value };
  if (cursor) extra.cursor = cursor;
  const response = await api('GET', '/contracts' + query(state.filter, extra));
  const page = await response.json();
  state.page = page.items;
  state.nextCursor = page.nextCursor;
  renderPage();
}
function renderPage() {
  const body = $('#contracts tbody');
  body.replaceChildren();
  for (const c of state.page) {
    const row = document.createElement('tr');
    const select = document.createElement('td');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.className = 'select-row';
    box.value = c.contractId;
    box.setAttribute('aria-label', c.contractId + ' を選択');
    box.checked = state.selection.mode === 'filter' || state.selection.ids.has(c.contractId);
    box.disabled = state.selection.mode === 'filter';
    box.addEventListener('change', () => toggle(c.contractId, box.checked));
    select.appendChild(box);
    row.appendChild(select);
    const id = document.createElement('td');
    const link = document.createElement('a');
    link.href = '#/contracts/' + encodeURIComponent(c.contractId);
    link.textContent = c.contractId;
    id.appendChild(link);
    row.appendChild(id);
    cell(row, '').appendChild(badge(c.status, c.statusLabel));
    cell(row, day(c.statusSince));
    cell(row, c.cohort === 'LEGACY' ? '旧決済' : '現行');
    cell(row, yen(c.amountYen), 'number');
    cell(row, c.lastFailure ? c.lastFailure.code + '(' + day(c.lastFailure.at) + ')' : '—');
    const next = c.pendingManualRetry ? c.pendingManualRetry.runAt : c.nextRetry ? c.nextRetry.at : null;
    cell(row, next ? day(next) + (c.pendingManualRetry ? '(手動)' : '') : '—');
    cell(row, day(c.lastFinalNoticeOn));
    body.appendChild(row);
  }
  $('#empty').hidden = state.page.length > 0;
  $('#next-page').disabled = !state.nextCursor;
  $('#first-page').disabled = state.cursors.length === 1;
  $('#select-page').checked = state.page.length > 0 && state.page.every((c) => state.selection.mode === 'filter' || state.selection.ids.has(c.contractId));
  renderSelection();
}
function toggle(contractId, selected) {
  if (selected) state.selection.ids.add(contractId); else state.selection.ids.delete(contractId);
  renderPage();
}
function renderSelection() {
  const s = state.selection;
  $('#selection-summary').textContent = s.mode === 'filter'
    ? '条件に一致するすべての契約を選択中'
    : (s.ids.size ? s.ids.size + ' 件を選択中' : '選択なし');
}
function selectionBody() {
  return state.selection.mode === 'filter' ? { filter: state.filter } : { contractIds: [...state.selection.ids] };
}

// --- bulk actions: a dry run first, then the same request for real

async function preview(action, extra) {
  const selection = selectionBody();
  if (!selection.filter && selection.contractIds.length === 0) {
    show('契約を選択してください。');
    return;
  }
  const body = { ...selection, ...extra };
  const response = await api('POST', '/' + action, { ...body, dryRun: true });
  state.pending = { action, body, key: crypto.randomUUID() };
  renderOutcome(ACTIONS[action] + ' の確認(まだ実行していません)', await response.json(), true);
}
async function confirm() {
  const { action, body, key } = state.pending;
  const response = await api('POST', '/' + action, { ...body, dryRun: false }, { 'Idempotency-Key': key });
  state.pending = null;
  renderOutcome(ACTIONS[action] + ' の結果', await response.json(), false);
  state.selection = { mode: 'ids', ids: new Set() };
  await loadPage();
}
function renderOutcome(title, result, confirmable) {
  $('#preview').hidden = false;
  $('#preview-title').textContent = title;
  $('#preview-summary').textContent = Object.entries(result.summary).map(([o, n]) => (OUTCOMES[o] || o) + ' ' + n + ' 件').join('、');
  const body = $('#preview-items tbody');
  body.replaceChildren();
  for (const item of result.items) {
    const row = document.createElement('tr');
    cell(row, item.contractId);
    cell(row, OUTCOMES[item.outcome] || item.outcome, 'outcome-' + item.outcome.toLowerCase());
    cell(row, item.reason ? (REASONS[item.reason] || item.reason) : '');
    body.appendChild(row);
  }
  $('#confirm').hidden = !confirmable;
  $('#preview').focus();
}

// --- one contract

async function loadDetail(contractId) {
  show('');
  let contract;
  try {
    contract = await (await api('GET', '/contracts/' + encodeURIComponent(contractId))).json();
  } catch (error) {
    $('#detail-id').textContent = contractId;
    $('#detail').replaceChildren();
    $('#history tbody').replaceChildren();
    show(error.status === 404 ? '契約が見つかりません。' : error.message);
    return;
  }
  $('#detail-id').textContent = contract.contractId;
  const fields = [
    ['ステータス', null, contract],
    ['この状態になった日時', dayTime(contract.statusSince)],
    ['エラー発生日時', dayTime(contract.errorSince)],
    ['区分', contract.cohort === 'LEGACY' ? '旧決済' : '現行'],
    ['金額', yen(contract.amountYen)],
    ['支援者', contract.supporter ? contract.supporter.name + '(' + contract.supporter.email + ')' : '—'],
    ['最後の失敗', contract.lastFailure ? contract.lastFailure.code + '(' + dayTime(contract.lastFailure.at) + ')' : '—'],
    ['次回リトライ', contract.nextRetry ? dayTime(contract.nextRetry.at) : '—'],
    ['予定された手動リトライ', contract.pendingManualRetry ? dayTime(contract.pendingManualRetry.runAt) : 'なし'],
    ['最終案内', day(contract.lastFinalNoticeOn)],
    ['再決済依頼', contract.repaymentRequestsSent ? day(contract.lastRepaymentRequestOn) + '(計' + contract.repaymentRequestsSent + '回)' : 'なし'],
    ['カードの更新', contract.paymentMethodUpdatedAt ? dayTime(contract.paymentMethodUpdatedAt) : 'なし'],
    ['解約理由', contract.cancellationReason || '—'],
  ];
  const list = $('#detail');
  list.replaceChildren();
  for (const [name, value, c] of fields) {
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    if (c) dd.appendChild(badge(c.status, c.statusLabel)); else dd.textContent = value;
    if (name === '予定された手動リトライ') dd.id = 'detail-pending-manual-retry';
    if (name === '再決済依頼') dd.id = 'detail-repayment-requests';
    list.append(dt, dd);
  }
  const body = $('#history tbody');
  body.replaceChildren();
  for (const line of contract.history) {
    const row = document.createElement('tr');
    cell(row, dayTime(line.at));
    cell(row, EVENTS[line.event] || line.event);
    cell(row, line.actor || '');
    const change = historyChange(line);
    cell(row, change.text, change.changed ? 'change' : 'change unchanged');
    if (!change.changed) row.classList.add('unchanged');
    cell(row, line.reason || '');
    body.appendChild(row);
  }
}

function historyChange(line) {
  const label = (status) => STATUSES[status] || status;
  if (line.result === 'REJECTED') return { text: '却下(変化なし)', changed: false };
  if (line.result === 'NO_EFFECT') return { text: '変化なし', changed: false };
  if (!line.from) return { text: '→ ' + label(line.to), changed: true };
  if (line.from === line.to) return { text: '変化なし(' + label(line.to) + 'のまま)', changed: false };
  return { text: label(line.from) + ' → ' + label(line.to), changed: true };
}

// --- the recovery report

// a period's fields, when empty, show the twelve months to today: from the first day of the month 11 months ago
async function lastTwelveMonths(fromInput, toInput) {
  if (fromInput.value) return;
  if (!state.today) await loadSummary();
  const to = new Date(state.today + 'T00:00:00Z');
  const from = new Date(Date.UTC(to.getUTCFullYear() - 1, to.getUTCMonth() + 1, 1));
  showDate(fromInput, from.toISOString().substring(0, 10));
  showDate(toInput, state.today);
}
async function openReport() {
  await lastTwelveMonths($('#report-from'), $('#report-to'));
  await loadReport();
}
function monthsOf(from, to) {
  const months = [];
  let [y, m] = from.split('-').map(Number);
  const [lastY, lastM] = to.split('-').map(Number);
  while (y < lastY || (y === lastY && m <= lastM)) {
    months.push(y + '-' + String(m).padStart(2, '0'));
    if (++m > 12) { y++; m = 1; }
  }
  return months;
}
async function loadReport(event) {
  if (event) event.preventDefault();
  show('');
  const period = query({ from: dateOf($('#report-from')), to: dateOf($('#report-to')) });
  const report = await (await api('GET', '/reports/recovery' + period)).json();
  const manual = await (await api('GET', '/reports/manual-retries' + period)).json();
  const body = $('#report tbody');
  body.replaceChildren();
  for (const row of report.rows) {
    const tr = document.createElement('tr');
    cell(tr, STATUSES[row.recoveredFrom]);
    cell(tr, PATHS[row.path] || row.path);
    cell(tr, row.contracts + ' 件', 'number');
    cell(tr, yen(row.amountYen), 'number');
    body.appendChild(tr);
  }
  $('#report').hidden = report.rows.length === 0;
  $('#report-empty').hidden = report.rows.length > 0;
  $('#report-total').textContent = '合計 ' + report.contracts + ' 件、' + yen(report.amountYen);

  const months = monthsOf(report.from, report.to);
  const paths = ['AUTO_RETRY', 'MANUAL_RETRY', 'SUPPORTER_REPAYMENT'];
  const amount = (month, path) => report.months.filter((m) => m.month === month && m.path === path).reduce((n, m) => n + m.amountYen, 0);
  chart('chart-recoveries', {
    legend: { top: 0 },
    tooltip: { trigger: 'axis', valueFormatter: yen },
    xAxis: { type: 'category', data: months },
    yAxis: { type: 'value', name: '円', axisLabel: { formatter: (n) => n.toLocaleString('ja-JP') } },
    series: paths.map((path) => ({ name: PATHS[path], type: 'bar', stack: 'recovered', data: months.map((m) => amount(m, path)) })),
  });
  const monthRows = $('#report-months tbody');
  monthRows.replaceChildren();
  for (const m of report.months) {
    const tr = document.createElement('tr');
    cell(tr, m.month.replace('-', '/'));
    cell(tr, PATHS[m.path] || m.path);
    cell(tr, m.contracts + ' 件', 'number');
    cell(tr, yen(m.amountYen), 'number');
    monthRows.appendChild(tr);
  }

  chart('chart-manual-days', {
    legend: { top: 0 },
    xAxis: { type: 'category', name: '日', data: manual.days.map((d) => d.dayOfMonth) },
    yAxis: { type: 'value', name: '件', minInterval: 1 },
    series: [
      { name: '試行', type: 'bar', data: manual.days.map((d) => d.attempts) },
      { name: '回復', type: 'bar', data: manual.days.map((d) => d.recovered) },
    ],
  });
  const dayRows = $('#report-manual-days tbody');
  dayRows.replaceChildren();
  const tried = manual.days.filter((d) => d.attempts > 0);
  $('#report-manual-days-empty').hidden = tried.length > 0;
  for (const d of tried) {
    const tr = document.createElement('tr');
    cell(tr, d.dayOfMonth + '日');
    cell(tr, d.attempts + ' 件', 'number');
    cell(tr, d.recovered + ' 件', 'number');
    cell(tr, yen(d.recoveredYen), 'number');
    dayRows.appendChild(tr);
  }
}

// --- recovery analytics: which failures come back, how fast, by which path

const CLASSES = {
  SOFT_DECLINE: '一時的な拒否', HARD_DECLINE: '新しいカードが必要な拒否', PROCESSOR_ERROR: '決済代行の障害',
  REFUSED: 'tsuzuku による不実行', UNKNOWN: '記録なし',
};
const COHORTS = { CURRENT: '新しい決済(毎週の自動リトライ)', LEGACY: '旧決済(再決済期限)', UNKNOWN: '記録なし' };
const AMOUNT_BANDS = {
  UNDER_1000: '1,000円未満', FROM_1000_TO_2999: '1,000〜2,999円', FROM_3000_TO_4999: '3,000〜4,999円',
  FROM_5000_TO_9999: '5,000〜9,999円', FROM_10000: '10,000円以上',
};
const IN_ERROR = { NOT_IN_ERROR: 'エラーになる前', ...BANDS };

function percent(share) {
  return share === null || share === undefined ? '—' : (share * 100).toFixed(1) + '%';
}
function days(value) {
  return value === null || value === undefined ? '—' : value + ' 日';
}
function groupRows(id, groups, name) {
  const body = $('#' + id + ' tbody');
  body.replaceChildren();
  for (const g of groups) {
    const tr = document.createElement('tr');
    cell(tr, name(g));
    cell(tr, g.failed + ' 件', 'number');
    cell(tr, g.recovered + ' 件', 'number');
    cell(tr, g.cancelled + ' 件', 'number');
    cell(tr, g.open + ' 件', 'number');
    cell(tr, percent(g.recoveryRate), 'number');
    cell(tr, days(g.medianDaysToRecover), 'number');
    cell(tr, days(g.p90DaysToRecover), 'number');
    body.appendChild(tr);
  }
}
function recoveredRows(id, rows, names) {
  const body = $('#' + id + ' tbody');
  body.replaceChildren();
  for (const r of rows) {
    const tr = document.createElement('tr');
    cell(tr, names[r.key] || r.key);
    cell(tr, r.recovered + ' 件', 'number');
    cell(tr, percent(r.shareOfFailed), 'number');
    cell(tr, days(r.medianDaysToRecover), 'number');
    cell(tr, days(r.p90DaysToRecover), 'number');
    cell(tr, yen(r.recoveredMonthlyYen), 'number');
    body.appendChild(tr);
  }
}
function analyticsPeriod() {
  return query({ from: dateOf($('#analytics-from')), to: dateOf($('#analytics-to')) });
}
async function openAnalytics() {
  await lastTwelveMonths($('#analytics-from'), $('#analytics-to'));
  await loadAnalytics();
}
async function loadAnalytics(event) {
  if (event) event.preventDefault();
  show('');
  const a = await (await api('GET', '/reports/recovery-analytics' + analyticsPeriod())).json();
  $('#analytics-empty').hidden = a.total.failed > 0;
  $('#analytics-total').textContent = a.total.failed === 0 ? ''
    : '失敗 ' + a.total.failed + ' 件のうち回復 ' + a.total.recovered + ' 件(' + percent(a.total.recoveryRate) + ')、解約 '
      + a.total.cancelled + ' 件、未回復 ' + a.total.open + ' 件。回復までの日数は中央値 ' + days(a.total.medianDaysToRecover)
      + '、90% が ' + days(a.total.p90DaysToRecover) + ' 以内(' + day(a.asOf) + ' 時点)。';

  groupRows('analytics-class', a.byDeclineClass, (g) => CLASSES[g.key] || g.key);
  chart('chart-analytics-class', {
    tooltip: { trigger: 'axis', valueFormatter: (n) => n + '%' },
    xAxis: { type: 'category', data: a.byDeclineClass.map((g) => CLASSES[g.key] || g.key), axisLabel: { interval: 0 } },
    yAxis: { type: 'value', name: '回復率(%)', max: 100 },
    series: [{ name: '回復率', type: 'bar', data: a.byDeclineClass.map((g) => Math.round(g.recoveryRate * 1000) / 10) }],
  });
  groupRows('analytics-code', a.byDeclineCode, (g) => g.key);

  recoveredRows('analytics-path', a.byPath, PATHS);
  chart('chart-analytics-path', {
    legend: { top: 0 },
    xAxis: { type: 'category', data: a.byPath.map((r) => PATHS[r.key] || r.key), axisLabel: { interval: 0 } },
    yAxis: { type: 'value', name: '日', minInterval: 1 },
    series: [
      { name: '中央値', type: 'bar', data: a.byPath.map((r) => r.medianDaysToRecover) },
      { name: '90%', type: 'bar', data: a.byPath.map((r) => r.p90DaysToRecover) },
    ],
  });
  recoveredRows('analytics-error', a.byMonthsInError, IN_ERROR);
  chart('chart-analytics-error', {
    xAxis: { type: 'category', data: a.byMonthsInError.map((r) => IN_ERROR[r.key] || r.key), axisLabel: { interval: 0 } },
    yAxis: { type: 'value', name: '件', minInterval: 1 },
    series: [{ name: '回復', type: 'bar', data: a.byMonthsInError.map((r) => r.recovered) }],
  });

  const within = (a.cohorts[0] || { recoveredWithin: [] }).recoveredWithin.map((w) => w.months + 'か月以内');
  chart('chart-analytics-cohorts', {
    legend: { top: 0, type: 'scroll' },
    tooltip: { trigger: 'axis', valueFormatter: (n) => (n === null || n === undefined ? '—' : n + '%') },
    xAxis: { type: 'category', data: within },
    yAxis: { type: 'value', name: '回復率(%)', max: 100 },
    series: a.cohorts.map((m) => ({
      name: m.month.replace('-', '/'), type: 'line', connectNulls: false,
      data: m.recoveredWithin.map((w) => (w.share === null ? null : Math.round(w.share * 1000) / 10)),
    })),
  });
  const cohortRows = $('#analytics-cohorts tbody');
  cohortRows.replaceChildren();
  for (const m of a.cohorts) {
    const tr = document.createElement('tr');
    cell(tr, m.month.replace('-', '/'));
    cell(tr, m.failed + ' 件', 'number');
    for (const w of m.recoveredWithin) cell(tr, percent(w.share), 'number');
    cohortRows.appendChild(tr);
  }
  groupRows('analytics-groups', [...a.byCohort, ...a.byAmountBand],
    (g) => COHORTS[g.key] || AMOUNT_BANDS[g.key] || g.key);
}
async function analyticsCsv() {
  await download('/reports/recovery-analytics.csv' + analyticsPeriod(), 'recovery-' + state.org + '.csv');
}

// --- policy backtest: the organisation's failures replayed under another policy

// the model's assumptions, by the code the API gives each (its English text for a code not known here)
const ASSUMPTIONS = {
  CARD_WORKS_ONCE_SEEN: 'カードは、どの経路でも決済が通った最初の日から、その契約の次の失敗まで使えたものとします。回復しなかった失敗のカードは、その後も使えなかったものとします。',
  NEW_CARD_AFTER_HARD_DECLINE: '新しいカードが必要な拒否(HARD_DECLINE)は、支援者が新しいカードで再決済したときだけ回復します。リトライでは回復しません。',
  PEOPLE_ACT_AS_THEY_DID: '支援者の再決済と解約は実際の日に起きます。管理者による解約も実際の日に起きます(その前に方針で回復した契約を除きます)。',
  RETRY_DAYS: '自動リトライは失敗した決済から間隔ごとに行い、最後の自動リトライの日にエラーになります(新しいカードが必要な拒否ではすぐに)。毎月の手動リトライはその後の指定日に行います。',
  OLD_RULE_DEADLINE: '旧ルールでは、支援者がそれまでに再決済しない限り、次の決済日(失敗の1か月後、年額の契約は1年後)に解約します。',
  LEGACY_KEEPS_ITS_RULE: '旧決済の契約はどの方針でも再決済期限のルールのままです。その失敗は実際のとおりに数えます。',
  ONE_FAILURE_AT_A_TIME: '試算でまだ失敗中のときに始まった次の失敗は、その失敗の続きとします(自動リトライなし、エラーになった日も同じ)。試算で解約された契約には、その後の失敗はありません。',
  TOKYO_DAYS: '日付は日本時間です。各月の数字はその月の末日(今月は今日)時点のものです。',
};

function backtestBody() {
  const number = (id) => ($('#' + id).value === '' ? null : Number($('#' + id).value));
  const deadline = $('#backtest-rule').value === 'DEADLINE';
  const days = $('#backtest-days').value.split(/[,、\s]+/).filter((d) => d).map(Number);
  if (days.some((d) => !Number.isInteger(d))) throw new Error('毎月の手動リトライの日は 1〜31 の数で入力してください(例: 1, 25)。');
  return {
    from: dateOf($('#backtest-from')),
    to: dateOf($('#backtest-to')),
    policy: deadline ? { rule: 'DEADLINE' } : {
      rule: 'RETRIES', automaticRetries: number('backtest-retries'), retryIntervalDays: number('backtest-interval'),
      retryHardDeclines: $('#backtest-hard').checked, standingRetryDays: days,
      cancelAfterMonthsInError: number('backtest-cancel-after'),
    },
  };
}
async function openBacktest() {
  await lastTwelveMonths($('#backtest-from'), $('#backtest-to'));
}
async function runBacktest(event) {
  event.preventDefault();
  show('');
  $('#backtest-result').hidden = true;
  let job = await (await api('POST', '/backtests', backtestBody())).json();
  while (job.state === 'RUNNING') {
    $('#backtest-progress').textContent = '試算中… ' + job.contractsRead + ' 件の契約を読みました。';
    await new Promise((resolve) => setTimeout(resolve, 1000));
    job = await (await api('GET', '/backtests/' + job.id)).json();
  }
  if (job.state !== 'DONE') throw new Error('試算できませんでした(' + job.failure + ')。');
  $('#backtest-progress').textContent = '';
  showBacktest(job.result);
}
function showBacktest(result) {
  $('#backtest-total').textContent = day(result.from) + '〜' + day(result.to) + ' に始まった失敗 ' + result.failures + ' 件のうち、'
    + day(result.asOf) + ' までに回復: 実際 ' + result.actual.recovered + ' 件、試算 ' + result.replayed.recovered + ' 件。解約: 実際 '
    + result.actual.cancelled + ' 件、試算 ' + result.replayed.cancelled + ' 件。回復した金額: 実際 ' + yen(result.actual.recoveredYen)
    + '、試算 ' + yen(result.replayed.recoveredYen) + '。';
  const months = result.months.map((m) => m.month);
  chart('chart-backtest', {
    legend: { top: 0 },
    xAxis: { type: 'category', data: months },
    yAxis: { type: 'value', name: '件', minInterval: 1 },
    series: [
      { name: '回復(実際)', type: 'line', data: result.months.map((m) => m.actual.recovered) },
      { name: '回復(試算)', type: 'line', lineStyle: { type: 'dashed' }, data: result.months.map((m) => m.replayed.recovered) },
      { name: '解約(実際)', type: 'line', data: result.months.map((m) => m.actual.cancelled) },
      { name: '解約(試算)', type: 'line', lineStyle: { type: 'dashed' }, data: result.months.map((m) => m.replayed.cancelled) },
    ],
  });
  const body = $('#backtest-months tbody');
  body.replaceChildren();
  for (const m of result.months) {
    const tr = document.createElement('tr');
    cell(tr, m.month.replace('-', '/'));
    cell(tr, m.actual.recovered + ' 件', 'number');
    cell(tr, m.replayed.recovered + ' 件', 'number');
    cell(tr, m.actual.cancelled + ' 件', 'number');
    cell(tr, m.replayed.cancelled + ' 件', 'number');
    cell(tr, yen(m.actual.recoveredYen), 'number');
    cell(tr, yen(m.replayed.recoveredYen), 'number');
    body.appendChild(tr);
  }
  const assumptions = $('#backtest-assumptions');
  assumptions.replaceChildren(...result.assumptions.map((assumption) => {
    const li = document.createElement('li');
    li.textContent = ASSUMPTIONS[assumption.code] || assumption.text;
    return li;
  }));
  $('#backtest-result').hidden = false;
}

// --- standing retry plans: the organisation's monthly retry of its ERROR contracts

const WEEKDAYS = { MONDAY: '月', TUESDAY: '火', WEDNESDAY: '水', THURSDAY: '木', FRIDAY: '金', SATURDAY: '土', SUNDAY: '日' };
const RUN_STATES = { DONE: '実行済み', RUNNING: '実行中', MISSED: '実行されず(サービス停止)' };

function scheduleText(s) {
  const when = s.kind === 'LAST_DAY' ? '毎月末日'
    : s.kind === 'NTH_WEEKDAY' ? '毎月第' + s.nth + WEEKDAYS[s.weekday] + '曜日' : '毎月' + s.day + '日';
  return when + ' ' + s.time;
}
function planFilterText(f) {
  const from = f.minMonthsInError == null ? '' : f.minMonthsInError + 'か月以上';
  const to = f.maxMonthsInError == null ? '' : f.maxMonthsInError + 'か月未満';
  return 'エラーの契約' + (from || to ? '(エラーになってから' + [from, to].filter((t) => t).join('、') + ')' : 'すべて');
}
async function loadPlans() {
  const plans = await (await api('GET', '/retry-plans')).json();
  const body = $('#plans tbody');
  body.replaceChildren();
  for (const plan of plans) {
    const tr = document.createElement('tr');
    cell(tr, plan.name);
    cell(tr, scheduleText(plan.schedule));
    cell(tr, planFilterText(plan.filter));
    cell(tr, plan.paused ? '—' : dayTime(plan.nextRunAt));
    cell(tr, plan.paused ? '停止中' : '有効');
    const actions = cell(tr, '');
    const button = (text, action) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = text;
      b.setAttribute('aria-label', plan.name + ': ' + text);
      b.addEventListener('click', guarded(() => action(plan)));
      actions.appendChild(b);
    };
    button('次回の試算', previewPlan);
    button('実行履歴', planRuns);
    button(plan.paused ? '再開' : '停止', (p) => savePlan(p, { paused: !p.paused }));
    button('削除', deletePlan);
    body.appendChild(tr);
  }
  $('#plans-empty').hidden = plans.length > 0;
}
async function previewPlan(plan) {
  const preview = await (await api('GET', '/retry-plans/' + encodeURIComponent(plan.planId) + '/preview')).json();
  $('#plan-preview-title').textContent = '「' + plan.name + '」の次回(' + dayTime(preview.runAt) + ')の試算';
  $('#plan-preview-summary').textContent = '今の契約では、対象 ' + preview.matched + ' 件のうち ' + preview.retried + ' 件をリトライします('
    + yen(preview.retriedYen) + ')。見送り ' + (preview.matched - preview.retried) + ' 件。';
  const body = $('#plan-preview-reasons tbody');
  body.replaceChildren();
  for (const [reason, count] of Object.entries(preview.notRetried)) {
    const tr = document.createElement('tr');
    cell(tr, REASONS[reason] || reason);
    cell(tr, count + ' 件', 'number');
    body.appendChild(tr);
  }
  $('#plan-preview-reasons').hidden = Object.keys(preview.notRetried).length === 0;
  $('#plan-preview').hidden = false;
}
async function planRuns(plan) {
  const runs = await (await api('GET', '/retry-plans/' + encodeURIComponent(plan.planId) + '/runs')).json();
  $('#plan-runs-title').textContent = '「' + plan.name + '」の実行履歴';
  const body = $('#plan-runs-table tbody');
  body.replaceChildren();
  for (const run of runs) {
    const tr = document.createElement('tr');
    const retried = (run.summary.SCHEDULED || 0) + (run.summary.MOVED || 0);
    const total = Object.values(run.summary).reduce((a, b) => a + b, 0);
    cell(tr, day(run.runOn));
    cell(tr, RUN_STATES[run.state] || run.state);
    cell(tr, retried + ' 件', 'number');
    cell(tr, (total - retried) + ' 件', 'number');
    cell(tr, yen(run.retriedYen), 'number');
    body.appendChild(tr);
  }
  $('#plan-runs-empty').hidden = runs.length > 0;
  $('#plan-runs').hidden = false;
}
function planBody() {
  const number = (id) => ($('#' + id).value === '' ? null : Number($('#' + id).value));
  const kind = $('#plan-kind').value;
  return {
    name: $('#plan-name').value.trim(),
    schedule: {
      kind, time: $('#plan-time').value,
      day: kind === 'DAY_OF_MONTH' ? number('plan-day') : null,
      nth: kind === 'NTH_WEEKDAY' ? number('plan-nth') : null,
      weekday: kind === 'NTH_WEEKDAY' ? $('#plan-weekday').value : null,
    },
    filter: { minMonthsInError: number('plan-min-months'), maxMonthsInError: number('plan-max-months') },
    paused: false,
  };
}
async function createPlan(event) {
  event.preventDefault();
  show('');
  await api('POST', '/retry-plans', planBody());
  $('#plan-form').reset();
  show('定期リトライを作成しました。', 'info');
  await loadPlans();
}
async function savePlan(plan, change) {
  show('');
  await api('PUT', '/retry-plans/' + encodeURIComponent(plan.planId),
    { name: plan.name, schedule: plan.schedule, filter: plan.filter, paused: plan.paused, ...change });
  await loadPlans();
}
async function deletePlan(plan) {
  if (!window.confirm('「' + plan.name + '」を削除しますか?(これまでの実行の記録は契約の履歴に残ります)')) return;
  await api('DELETE', '/retry-plans/' + encodeURIComponent(plan.planId));
  $('#plan-preview').hidden = true;
  $('#plan-runs').hidden = true;
  await loadPlans();
}
function showPlanFields() {
  const kind = $('#plan-kind').value;
  $('#plan-day').closest('label').hidden = kind !== 'DAY_OF_MONTH';
  $('#plan-nth').closest('label').hidden = kind !== 'NTH_WEEKDAY';
  $('#plan-weekday').closest('label').hidden = kind !== 'NTH_WEEKDAY';
}

// --- the payments owed back to supporters

const REFUND_REASONS = {
  charged_after_cancellation: '解約後に決済されました',
  period_already_paid: '同じ期間が二重に決済されました',
};

async function loadRefunds() {
  const refunds = await (await api('GET', '/refunds-required')).json();
  const body = $('#refunds tbody');
  body.replaceChildren();
  for (const refund of refunds) {
    const tr = document.createElement('tr');
    const link = document.createElement('a');
    link.href = '#/contracts/' + encodeURIComponent(refund.contractId);
    link.textContent = refund.contractId;
    const td = document.createElement('td');
    td.appendChild(link);
    tr.appendChild(td);
    cell(tr, day(refund.period));
    cell(tr, yen(refund.amountYen), 'number');
    cell(tr, dayTime(refund.chargedAt));
    cell(tr, REFUND_REASONS[refund.reason] || refund.reason, 'reason');
    cell(tr, refund.processorReference || '');
    cell(tr, refund.refundedAt ? '返金済み ' + dayTime(refund.refundedAt) + ' (' + refund.refundReference + ')'
      : refund.settledAt ? '対応済み ' + dayTime(refund.settledAt) + ' (' + refund.settledBy + ')'
      : refund.refundFailedAt ? '自動返金に失敗 ' + dayTime(refund.refundFailedAt) + ' (' + refund.refundFailure + '): 手で返金してください'
      : '未返金', 'refund-state');
    const action = cell(tr, '');
    if (!refund.refundedAt && !refund.settledAt && !state.readOnly) {
      // two steps, in the row itself: marking a refund settled cannot be undone
      const what = refund.contractId + ' の ' + day(refund.period) + ' 分';
      const settleButton = button('返金済みにする', 'settle', what + 'を返金済みにする');
      const confirmButton = button('確定する', 'settle-confirm', what + 'の返金済みを確定する');
      const cancelButton = button('やめる', 'settle-cancel', what + 'の返金済みをやめる');
      const steps = (confirming) => { settleButton.hidden = confirming; confirmButton.hidden = !confirming; cancelButton.hidden = !confirming; };
      steps(false);
      settleButton.addEventListener('click', () => { steps(true); confirmButton.focus(); });
      cancelButton.addEventListener('click', () => { steps(false); settleButton.focus(); });
      confirmButton.addEventListener('click', guarded(() => settle(refund)));
      action.append(settleButton, confirmButton, cancelButton);
    }
    body.appendChild(tr);
  }
  $('#refunds-empty').hidden = refunds.length > 0;
}

function button(text, className, label) {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = className;
  element.textContent = text;
  element.setAttribute('aria-label', label);
  return element;
}
async function settle(refund) {
  await api('POST', '/refunds-required/' + encodeURIComponent(refund.attemptId) + '/settlement');
  show('返金済みにしました。', 'info');
  await loadRefunds();
}

// --- the organisation's Salesforce integration (the crm-sync-service's API)

async function loadSalesforce() {
  if (state.salesforceApi === undefined) {
    const config = await (await fetch('config.json')).json().catch(() => ({}));
    state.salesforceApi = config.salesforceApi || null;
  }
  $('#salesforce-unavailable').hidden = state.salesforceApi !== null;
  $('#salesforce-body').hidden = state.salesforceApi === null;
  if (state.salesforceApi === null) return;
  let settings = null;
  try {
    settings = await (await integrationApi('GET', '')).json();
  } catch (error) {
    if (error.code !== 'SALESFORCE_NOT_CONFIGURED') throw error;
  }
  state.salesforce = settings;
  showSalesforceState(settings);
  showSalesforceSettings(settings);
  for (const element of document.querySelectorAll('#salesforce-form input, #salesforce-form select, #salesforce-form button, #salesforce-resend, #salesforce-check')) {
    element.disabled = state.readOnly;
  }
  $('#salesforce-check').disabled = state.readOnly || !settings;
  $('#salesforce-check-result').hidden = true;
  await loadRejections(settings);
}

// what the administrator needs to know first: is it working, and if not, what to do
function salesforceVerdict(settings) {
  if (!settings) return ['problem', 'まだ設定されていません。下の設定を保存すると同期が始まります。'];
  const sync = settings.sync;
  if (sync.waitingForSettings) {
    return ['problem', 'Salesforce が設定を受け付けませんでした(' + (sync.lastError || '') + ')。Salesforce 側か設定を直して保存すると、同期を再開します。'];
  }
  if (sync.pausedUntil) {
    // unreachable, or the org's daily API limit reached: it resumes by itself
    return ['problem', dayTime(sync.pausedUntil) + ' まで Salesforce への送信を止めています(' + (sync.lastError || '') + ')。その後、自動で再開します。'];
  }
  if (!sync.lastCallAt) return ['', 'まだ Salesforce と通信していません。「接続を確認」で確かめられます。'];
  return ['fine', '同期しています(最後の通信 ' + dayTime(sync.lastCallAt) + ')。'];
}
function showSalesforceState(settings) {
  const [kind, text] = salesforceVerdict(settings);
  $('#salesforce-verdict').className = kind;
  $('#salesforce-verdict').textContent = text;
  const figures = $('#salesforce-figures');
  figures.replaceChildren();
  if (!settings) return;
  const sync = settings.sync;
  const rows = [
    ['書き込み方', settings.mode === 'RECONFIGURED' ? '再設定後(エラーを区別)' : '従来の値(エラーは再決済待ち)'],
    ['未送信', sync.pending + ' 件'],
    ['受け付けられなかったレコード', sync.rejected + ' 件'],
    ['今日の API 呼び出し', sync.apiCallsUsed == null ? '—' : sync.apiCallsUsed + ' / ' + sync.apiCallsLimit],
    ['最後のエラー', sync.lastError ? sync.lastError + (sync.lastErrorAt ? '(' + dayTime(sync.lastErrorAt) + ')' : '') : 'なし'],
  ];
  for (const [term, value] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    figures.append(dt, dd);
  }
}
function showSalesforceSettings(settings) {
  $('#sf-preset-label').hidden = !!settings;
  $('#sf-login-url').value = settings ? settings.loginUrl : '';
  $('#sf-client-id').value = settings ? settings.clientId : '';
  $('#sf-client-secret').value = '';
  $('#sf-client-secret').required = !settings;
  $('#sf-secret-note').textContent = settings && settings.clientSecretSet
    ? '保存済みです(表示しません)。変えるときだけ入力してください。ログイン URL かコンシューマー鍵を変えるときは必須です。' : '';
  $('#sf-object').value = settings ? settings.objectApiName : '';
  $('#sf-external-id').value = settings ? settings.externalIdField : '';
  $('#sf-status-field').value = settings ? settings.statusField : '';
}
// the whole mapping goes back as it was read, with the fields of the form changed: values,
// extra fields and the mode the form does not show are kept
function salesforceBody() {
  const current = state.salesforce;
  const text = (id) => $(id).value.trim() || null;
  const body = {
    loginUrl: text('#sf-login-url'), clientId: text('#sf-client-id'), clientSecret: text('#sf-client-secret'),
    objectApiName: text('#sf-object'), externalIdField: text('#sf-external-id'), statusField: text('#sf-status-field'),
  };
  if (!current) return { ...body, preset: $('#sf-preset').value };
  // the revision read: a change made meanwhile (the mode switched elsewhere) is refused, not undone
  return {
    ...body, preset: 'CUSTOM', statusReasonField: current.statusReasonField, mode: current.mode,
    values: current.values, extraFields: current.extraFields, revision: current.revision,
  };
}
async function saveSalesforce(event) {
  event.preventDefault();
  show('');
  try {
    state.salesforce = await (await integrationApi('PUT', '', salesforceBody())).json();
  } catch (error) {
    if (error.code !== 'CONCURRENT_CHANGE') throw error;
    await loadSalesforce();
    show('読み込んだ後に設定が変わっていました。最新の設定を表示しましたので、もう一度変更して保存してください。');
    return;
  }
  show('保存しました。', 'info');
  await loadSalesforce();
}
const CHECK_RESULTS = {
  LOGIN_REFUSED: 'ログインできませんでした。コンシューマー鍵と秘密、アプリの「クライアントログイン情報フロー」と実行ユーザーを確かめてください。',
  INVALID_FIELD: '項目が見つかりません。API 参照名と連携ユーザーの項目レベルセキュリティを確かめてください。',
  INVALID_TYPE: 'オブジェクトが見つかりません。API 参照名と連携ユーザーのオブジェクト権限を確かめてください。',
};
async function checkSalesforce() {
  show('');
  const result = await (await integrationApi('POST', '/check')).json();
  const element = $('#salesforce-check-result');
  element.hidden = false;
  element.className = result.connected ? 'fine' : 'problem';
  element.textContent = result.connected
    ? '接続できました: ログインし、' + result.objectApiName + ' の項目を読めました(' + dayTime(result.checkedAt) + ')。'
    : '接続できませんでした: ' + (CHECK_RESULTS[result.code] || '') + '(' + result.code + ': ' + result.message + ')';
}
async function loadRejections(settings) {
  const body = $('#salesforce-rejections tbody');
  body.replaceChildren();
  const items = settings ? (await (await integrationApi('GET', '/rejections?limit=100')).json()).items : [];
  for (const item of items) {
    const tr = document.createElement('tr');
    const td = document.createElement('td');
    td.appendChild(link('#/contracts/' + encodeURIComponent(item.contractId), item.contractId));
    tr.appendChild(td);
    cell(tr, item.rejection.code);
    cell(tr, item.rejection.message || '');
    cell(tr, item.rejection.hint || '');
    cell(tr, String(item.rejection.attempts), 'number');
    cell(tr, item.rejection.nextAttemptAt ? dayTime(item.rejection.nextAttemptAt) : '');
    body.appendChild(tr);
  }
  $('#salesforce-rejections-empty').hidden = items.length > 0;
  $('#salesforce-resend').hidden = items.length === 0 || state.readOnly;
}
async function resendRejections() {
  const result = await (await integrationApi('POST', '/rejections/resend', {})).json();
  show(result.resent + ' 件を再送します。', 'info');
  await loadSalesforce();
}

// --- CSV files, fetched with the token and saved as files

async function download(path, name) {
  const response = await api('GET', path);
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = name;
  link.click();
  URL.revokeObjectURL(link.href);
}
async function exportCsv() {
  await download('/contracts/export.csv' + query(state.filter), 'contracts-' + state.org + '.csv');
}

// --- views

async function loadStatusLabels() {
  if (Object.keys(STATUSES).length) return;
  STATUSES = await (await api('GET', '/status-labels')).json();
  const select = $('#filter-status');
  for (const [status, label] of Object.entries(STATUSES)) {
    const option = document.createElement('option');
    option.value = status;
    option.textContent = label;
    select.appendChild(option);
  }
}

function view(name) {
  $('header nav').hidden = name === 'sign-in';
  for (const id of ['sign-in', 'summary-view', 'contracts-view', 'detail-view', 'report-view', 'analytics-view', 'backtest-view',
    'plans-view', 'refunds-view', 'salesforce-view']) {
    $('#' + id).hidden = id !== name;
  }
  for (const a of document.querySelectorAll('header nav a')) {
    if (a.getAttribute('href') === location.hash.split('?')[0]) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}
// a page's address (#/contracts/…) works as a link: without a session, sign-in comes first and then
// the page
function pageAfterSignIn(next) {
  const page = (next || '').replace(/^#/, '');
  return /^\/[^#]*$/.test(page) && page !== '/sign-in' ? '#' + page : '#/summary';
}

// --- signing in: the identity provider's authorization code flow with PKCE (RFC 7636). The code
// verifier and the state wait in this tab's session storage while the browser is at the provider;
// the token never does, and no token is ever in an address.

function base64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
async function consoleConfig() {
  if (!state.config) state.config = await (await fetch('config.json')).json().catch(() => ({}));
  return state.config;
}
function redirectUri() {
  return location.origin + location.pathname;
}
async function beginSignIn() {
  const config = await consoleConfig();
  if (!config.issuer) throw new Error('サインインが設定されていません(tsuzuku.admin.console.issuer)。');
  if (!window.crypto || !crypto.subtle) throw new Error('サインインには HTTPS のページが必要です。');
  const discovery = await (await fetch(config.issuer + '/.well-known/openid-configuration')).json();
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const expected = base64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem('tsuzuku.sign-in', JSON.stringify({
    verifier, state: expected, next: pageAfterSignIn(state.next), tokenEndpoint: discovery.token_endpoint,
  }));
  location.assign(discovery.authorization_endpoint + '?' + new URLSearchParams({
    response_type: 'code', client_id: config.clientId, redirect_uri: redirectUri(), scope: config.scope || 'openid',
    state: expected, code_challenge: challenge, code_challenge_method: 'S256',
  }));
}
// back from the provider with ?code=…&state=…: the code is exchanged for the token (once: it is
// taken out of the address and the history first)
async function completeSignIn() {
  const answer = new URLSearchParams(location.search);
  const pending = JSON.parse(sessionStorage.getItem('tsuzuku.sign-in') || 'null');
  sessionStorage.removeItem('tsuzuku.sign-in');
  history.replaceState(null, '', location.pathname + (pending ? pending.next : '#/sign-in'));
  if (answer.get('error')) throw new Error('サインインできませんでした(' + answer.get('error') + ')。');
  if (!pending || answer.get('state') !== pending.state) throw new Error('サインインの応答を確かめられません。もう一度サインインしてください。');
  const config = await consoleConfig();
  let response;
  try {
    response = await fetch(pending.tokenEndpoint, {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code', code: answer.get('code'), redirect_uri: redirectUri(), client_id: config.clientId,
        code_verifier: pending.verifier,
      }),
    });
  } catch (unreachable) {
    throw new Error('認証サーバーに接続できません。しばらくしてからもう一度お試しください。');
  }
  const tokens = await response.json().catch(() => ({}));
  if (!response.ok || !tokens.access_token) throw new Error('サインインできませんでした(' + (tokens.error || response.status) + ')。');
  signIn(tokens.access_token);
}

async function route() {
  if (!state.token) {
    if (location.hash.startsWith('#/') && location.hash !== '#/sign-in') state.next = pageAfterSignIn(location.hash);
    view('sign-in');
    return;
  }
  try {
    await loadStatusLabels();
    if (location.hash.startsWith('#/contracts/')) {
      view('detail-view');
      await loadDetail(decodeURIComponent(location.hash.substring('#/contracts/'.length)));
    } else if (location.hash.startsWith('#/contracts')) {
      view('contracts-view');
      const parameters = location.hash.indexOf('?');
      if (parameters >= 0) showFilter(new URLSearchParams(location.hash.substring(parameters + 1)));
      await loadPage();
    } else if (location.hash === '#/report') {
      view('report-view');
      await openReport();
    } else if (location.hash === '#/analytics') {
      view('analytics-view');
      await openAnalytics();
    } else if (location.hash === '#/backtest') {
      view('backtest-view');
      await openBacktest();
    } else if (location.hash === '#/plans') {
      view('plans-view');
      showPlanFields();
      await loadPlans();
    } else if (location.hash === '#/refunds') {
      view('refunds-view');
      await loadRefunds();
    } else if (location.hash === '#/salesforce') {
      view('salesforce-view');
      await loadSalesforce();
    } else {
      view('summary-view');
      await loadSummary();
    }
  } catch (error) {
    show(error.message);
  }
}
// an action's error, thrown at once (a date that is no date) or answered by the API, is shown on the page
function guarded(action) {
  return async (event) => {
    try {
      await action(event);
    } catch (error) {
      show(error.message);
    }
  };
}

document.addEventListener('DOMContentLoaded', async () => {
  $('#sign-in-button').addEventListener('click', guarded(() => { show(''); return beginSignIn(); }));
  $('#sign-out').addEventListener('click', () => { state.next = null; signOut(); });
  $('#filters').addEventListener('submit', guarded((event) => {
    event.preventDefault();
    state.filter = filterFromForm();
    state.cursors = [null];
    state.selection = { mode: 'ids', ids: new Set() };
    return loadPage();
  }));
  $('#next-page').addEventListener('click', guarded(() => { state.cursors.push(state.nextCursor); return loadPage(); }));
  $('#first-page').addEventListener('click', guarded(() => { state.cursors = [null]; return loadPage(); }));
  $('#select-page').addEventListener('change', (event) => {
    if (state.selection.mode === 'filter') state.selection = { mode: 'ids', ids: new Set() };
    for (const c of state.page) toggle(c.contractId, event.target.checked);
    renderPage();
  });
  $('#select-all-matching').addEventListener('click', () => { state.selection = { mode: 'filter' }; renderPage(); });
  $('#clear-selection').addEventListener('click', () => { state.selection = { mode: 'ids', ids: new Set() }; renderPage(); });
  $('#action-manual-retry').addEventListener('click', guarded(() => {
    const retryOn = dateOf($('#retry-on'));
    if (!retryOn) { show('決済日を入力してください(例: 2027/05/25)。'); return undefined; }
    return preview('manual-retries', { retryOn });
  }));
  $('#action-final-notice').addEventListener('click', guarded(() => preview('final-notices', {})));
  $('#action-repayment-request').addEventListener('click', guarded(() => preview('repayment-requests', {})));
  $('#action-cancel').addEventListener('click', guarded(() => {
    if (!$('#cancel-reason').value.trim()) { show('解約の理由を入力してください。'); return undefined; }
    return preview('cancellations', { reason: $('#cancel-reason').value.trim() });
  }));
  $('#confirm').addEventListener('click', guarded(confirm));
  $('#dismiss').addEventListener('click', () => { $('#preview').hidden = true; state.pending = null; });
  $('#export-csv').addEventListener('click', guarded(exportCsv));
  $('#report-form').addEventListener('submit', guarded(loadReport));
  $('#analytics-form').addEventListener('submit', guarded(loadAnalytics));
  $('#analytics-csv').addEventListener('click', guarded(analyticsCsv));
  $('#backtest-form').addEventListener('submit', guarded(runBacktest));
  $('#plan-form').addEventListener('submit', guarded(createPlan));
  $('#plan-kind').addEventListener('change', showPlanFields);
  $('#salesforce-form').addEventListener('submit', guarded(saveSalesforce));
  $('#salesforce-check').addEventListener('click', guarded(checkSalesforce));
  $('#salesforce-resend').addEventListener('click', guarded(resendRejections));
  window.addEventListener('hashchange', route);
  if (new URLSearchParams(location.search).has('state')) {
    try {
      await completeSignIn();
    } catch (error) {
      signOut();
      show(error.message);
      return;
    }
  }
  window.addEventListener('resize', () => document.querySelectorAll('.chart').forEach((e) => echarts.getInstanceByDom(e)?.resize()));
  window.addEventListener('beforeprint', () => document.querySelectorAll('.chart').forEach((e) => echarts.getInstanceByDom(e)?.resize()));
  route();
});
