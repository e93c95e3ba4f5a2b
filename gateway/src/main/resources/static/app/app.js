// The booking page: sign-in, the booking form, a meeting's live invitations and answers (rescheduled or cancelled by
// its organizer), and the person's meetings.
// Signed in by the gateway's session cookie; every state-changing request repeats the XSRF-TOKEN cookie in X-XSRF-TOKEN.

const $ = (id) => document.getElementById(id);
const views = ['signin-view', 'book-view', 'meeting-view', 'mine-view'];
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
const when = new Intl.DateTimeFormat(undefined, {
  weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
});
const people = new Map(); // userId -> name, as the directory answered
let me = null;
let streams = [];

function show(view, focus) {
  $('loading').hidden = true;
  for (const id of views) $(id).hidden = id !== view;
  const target = focus ? $(focus) : null;
  if (target) target.focus();
}

function csrfToken() {
  const cookie = document.cookie.split('; ').find((c) => c.startsWith('XSRF-TOKEN='));
  return cookie ? decodeURIComponent(cookie.substring('XSRF-TOKEN='.length)) : '';
}

/**
 * fetch on the same origin; JSON in and out, with the answer's ETag; a problem+json answer becomes an Error carrying
 * the problem. Every method but GET repeats the CSRF cookie.
 */
async function send(method, url, body, extraHeaders = {}) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-XSRF-TOKEN'] = csrfToken();
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  Object.assign(headers, extraHeaders);
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin' });
  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await response.json() : null;
  if (!response.ok) {
    const error = new Error((data && (data.detail || data.title)) || `${response.status} ${response.statusText}`);
    error.status = response.status;
    error.problem = data || {};
    throw error;
  }
  return { data, etag: response.headers.get('ETag') };
}

async function call(method, url, body) {
  return (await send(method, url, body)).data;
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith('on')) node.addEventListener(name.substring(2), value);
    else if (value !== undefined && value !== null) node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

function debounce(fn, ms) {
  let timer;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

const label = (user) => `${user.name} (${user.userId})`;
const nameOf = (userId) => (people.has(userId) ? `${people.get(userId)} (${userId})` : userId);
const formatTime = (iso) => (iso ? when.format(new Date(iso)) : '');

// ---- sign-in ----

async function start() {
  const session = await call('GET', '/auth/session');
  if (session.signedIn) {
    me = session.userId;
    $('who').textContent = `Signed in as ${me}`;
    $('nav').hidden = false;
    rememberUser(me);
    route();
    return;
  }
  $('local-signin').hidden = !session.localSignIn;
  $('providers').replaceChildren(...session.providers.map((provider) => element('li', {},
    element('a', { href: provider.url }, `Sign in with ${provider.name}`))));
  $('signin-none').hidden = session.localSignIn || session.providers.length > 0;
  show('signin-view');
  if (session.localSignIn) {
    await listSignInUsers('');
    $('signin-filter').focus();
  }
}

async function listSignInUsers(query) {
  const users = await call('GET', `/auth/local/users?query=${encodeURIComponent(query)}`);
  $('signin-users').replaceChildren(...users.map((user) => element('li', {},
    element('button', { type: 'button', 'data-user-id': user.userId, onclick: () => signIn(user.userId) },
      `Sign in as ${label(user)}`))));
}

async function signIn(userId) {
  try {
    await call('POST', '/auth/local/sign-in', { userId });
    location.assign('/');
  } catch (error) {
    $('signin-error').textContent = error.message;
  }
}

async function signOut() {
  await call('POST', '/auth/sign-out');
  location.assign('/');
}

async function rememberUser(userId) {
  if (people.has(userId)) return;
  try {
    const user = await call('GET', `/api/users/${encodeURIComponent(userId)}`);
    people.set(user.userId, user.name);
    if (userId === me) $('who').textContent = `Signed in as ${label(user)}`;
  } catch (error) {
    // an id the directory does not know is shown as it is
  }
}

// ---- navigation: #book, #mine, #meeting/<id> ----

function route() {
  const hash = location.hash.substring(1);
  if (streams.length && !hash.startsWith('meeting/')) closeStream();
  if (hash === 'mine') showMine();
  else if (hash.startsWith('meeting/')) openMeeting(hash.substring('meeting/'.length), false);
  else showForm();
}

// ---- the booking form ----

const picked = [];
let options = [];
let active = -1;

function localInputValue(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function showForm() {
  if (!$('startAt').value) {
    const start = new Date();
    start.setHours(start.getHours() + 25, 0, 0, 0);
    $('startAt').value = localInputValue(start);
    $('endAt').value = localInputValue(new Date(start.getTime() + 3600_000));
  }
  $('zone-hint').textContent = `Times are in your time zone, ${zone}.`;
  show('book-view', 'title');
}

function renderPicked() {
  $('attendees').replaceChildren(...picked.map((user) => element('li', { 'data-user-id': user.userId },
    label(user),
    element('button', { type: 'button', 'aria-label': `Remove ${label(user)}`, onclick: () => unpick(user.userId) }, '×'))));
}

function pick(user) {
  if (!picked.some((p) => p.userId === user.userId)) picked.push(user);
  people.set(user.userId, user.name);
  renderPicked();
  closeOptions();
  $('attendee-search').value = '';
  $('attendee-search').focus();
}

function unpick(userId) {
  picked.splice(picked.findIndex((p) => p.userId === userId), 1);
  renderPicked();
  $('attendee-search').focus();
}

function closeOptions() {
  options = [];
  active = -1;
  $('attendee-options').hidden = true;
  $('attendee-options').replaceChildren();
  $('attendee-search').setAttribute('aria-expanded', 'false');
  $('attendee-search').removeAttribute('aria-activedescendant');
}

function renderOptions() {
  const list = $('attendee-options');
  list.replaceChildren(...options.map((user, i) => element('li', {
    id: `option-${i}`, role: 'option', 'data-user-id': user.userId, 'aria-selected': String(i === active),
    onmousedown: (event) => { event.preventDefault(); pick(user); },
  }, label(user))));
  list.hidden = options.length === 0;
  $('attendee-search').setAttribute('aria-expanded', String(options.length > 0));
  if (active >= 0) $('attendee-search').setAttribute('aria-activedescendant', `option-${active}`);
  else $('attendee-search').removeAttribute('aria-activedescendant');
}

const searchUsers = debounce(async (query) => {
  if (!query.trim()) { closeOptions(); return; }
  let users;
  try {
    users = await call('GET', `/api/users?query=${encodeURIComponent(query.trim())}&limit=8`);
  } catch (error) {
    $('attendees-error').textContent = `The directory could not be searched: ${error.message}`;
    return;
  }
  if ($('attendee-search').value !== query) return;
  options = users.filter((user) => !picked.some((p) => p.userId === user.userId));
  active = options.length > 0 ? 0 : -1;
  renderOptions();
}, 200);

function onSearchKey(event) {
  if (event.key === 'ArrowDown' && options.length) { active = (active + 1) % options.length; renderOptions(); event.preventDefault(); }
  else if (event.key === 'ArrowUp' && options.length) { active = (active - 1 + options.length) % options.length; renderOptions(); event.preventDefault(); }
  else if (event.key === 'Escape') closeOptions();
  else if (event.key === 'Enter') {
    event.preventDefault();
    const typed = $('attendee-search').value.trim();
    if (active >= 0 && options[active]) pick(options[active]);
    // an id typed in full is taken as it is; the booking names it if nobody has it
    else if (typed) pick({ userId: typed, name: people.get(typed) || typed });
  }
}

function clearErrors() {
  for (const node of document.querySelectorAll('#book-form .error')) node.textContent = '';
  for (const node of document.querySelectorAll('#book-form [aria-invalid]')) node.removeAttribute('aria-invalid');
}

function fieldError(field, message) {
  const key = field.replace(/\[\d+\]$/, '').split('.')[0];
  const target = $(`${key}-error`) || $('form-error');
  target.textContent = target.textContent ? `${target.textContent}; ${message}` : message;
  const input = key === 'attendees' ? $('attendee-search') : $(key);
  if (input) input.setAttribute('aria-invalid', 'true');
}

function isoOf(inputId) {
  const value = $(inputId).value;
  return value ? new Date(value).toISOString() : null;
}

async function book(event) {
  event.preventDefault();
  clearErrors();
  const body = {
    title: $('title').value,
    startAt: isoOf('startAt'),
    endAt: isoOf('endAt'),
    location: $('location').value || null,
    attendees: picked.map((user) => user.userId),
  };
  $('book').disabled = true;
  const watch = body.attendees.length > 0 && body.attendees.length <= EARLY_STREAMS ? followAttendees(body.attendees) : null;
  try {
    if (watch) await watch.opened;
    const booked = await call('POST', '/api/meetings', body);
    if (watch) early = { meetingId: booked.meetingId, watch };
    picked.length = 0;
    renderPicked();
    $('book-form').reset();
    location.hash = `meeting/${booked.meetingId}`;
    // route() opens it as "Booking complete" through the hash change; say so first
    pendingComplete = booked.meetingId;
  } catch (error) {
    if (watch) watch.close();
    const problem = error.problem || {};
    const errors = problem.errors || problem.invalidParams || [];
    for (const e of errors) fieldError(e.field || e.name || '', e.message || e.reason || 'is invalid');
    if (problem.unknownAttendees) {
      fieldError('attendees', `Unknown attendee${problem.unknownAttendees.length > 1 ? 's' : ''}: ${problem.unknownAttendees.join(', ')}`);
    }
    if (problem.duplicateAttendees) fieldError('attendees', `Listed twice: ${problem.duplicateAttendees.join(', ')}`);
    if (!errors.length && !problem.unknownAttendees) $('form-error').textContent = error.message;
    const first = document.querySelector('#book-form [aria-invalid="true"]');
    if (first) first.focus();
  } finally {
    $('book').disabled = false;
  }
}

// ---- one meeting: its invitations and answers live from the stream; reschedule and cancel for its organizer ----

let pendingComplete = null;
const statuses = new Map(); // userId -> { status, via, answer, answerVia }
let current = null; // { meeting, etag } of the meeting on screen, as last read or changed
// The ETag the open reschedule or cancel started from: a change seen live meanwhile is shown, but a save still
// needs the person to see it first (412, then saved again from what is now shown)
let editing = null;
const ANSWERS = { 'needs-action': 'Needs action', accepted: 'Accepted', tentative: 'Tentative', declined: 'Declined' };
const answerText = (answer) => ANSWERS[answer] || answer || '—';

function closeStream() {
  for (const source of streams) source.close();
  streams = [];
}

// The stream's events that change what the meeting screen shows.
const LIVE_EVENTS = ['InvitationSent', 'InvitationFailed', 'InvitationAnswered', 'MeetingUpdated', 'MeetingCancelled'];

// With a few attendees, their streams are opened before the booking is sent, so that not even an invitation sent
// before the booking's answer arrives is missed; their events wait until the meeting's id is known.
const EARLY_STREAMS = 3;
let early = null;

function followAttendees(attendeeIds) {
  const watch = { sources: [], events: [], deliver: null };
  const take = (event) => {
    const item = { type: event.type, data: JSON.parse(event.data) };
    if (watch.deliver) watch.deliver(item);
    else watch.events.push(item);
  };
  const opened = attendeeIds.map((id) => {
    const source = new EventSource(`/api/meetings/stream?attendee=${encodeURIComponent(id)}`);
    for (const type of LIVE_EVENTS) source.addEventListener(type, take);
    watch.sources.push(source);
    return new Promise((resolve) => {
      source.addEventListener('open', resolve, { once: true });
      source.addEventListener('error', resolve, { once: true });
    });
  });
  watch.opened = Promise.race([Promise.all(opened), new Promise((resolve) => setTimeout(resolve, 3000))]);
  watch.close = () => watch.sources.forEach((source) => source.close());
  return watch;
}

function renderInvitations(attendees) {
  $('invitations').tBodies[0].replaceChildren(...attendees.map((userId) => {
    const state = statuses.get(userId) || {};
    const status = state.status || 'PENDING';
    return element('tr', { 'data-user-id': userId },
      element('th', { scope: 'row' }, nameOf(userId)),
      element('td', { class: `status status-${status}`, 'data-status': status, 'data-via': state.via || 'booking' }, status),
      element('td', { class: `answer answer-${state.answer || 'none'}`, 'data-answer': state.answer || '',
        'data-via': state.answerVia || '' }, answerText(state.answer)));
  }));
  const mine = statuses.get(me);
  $('my-answer').textContent = answerText(mine && mine.answer);
}

let shown = []; // the attendees of the meeting on screen

function setStatus(userId, status, via) {
  const state = statuses.get(userId);
  // SENT and FAILED are final; a late PENDING from a snapshot never undoes them
  if (state && state.status && state.status !== 'PENDING' && status === 'PENDING') return;
  statuses.set(userId, { ...(state || {}), status, via });
  renderInvitations(shown);
}

function setAnswer(userId, answer, via) {
  statuses.set(userId, { ...(statuses.get(userId) || {}), answer, answerVia: via });
  renderInvitations(shown);
}

async function loadInvitations(meetingId) {
  const state = await call('GET', `/api/meetings/${encodeURIComponent(meetingId)}/invitations`);
  for (const invitation of state.invitations || []) setStatus(invitation.userId, invitation.status, 'snapshot');
}

/** One event of the meeting on screen, from its own stream or from an attendee's. */
function onLiveEvent(meetingId, { type, data }) {
  if (data.meetingId !== meetingId) return;
  if (type === 'InvitationSent') setStatus(data.userId, 'SENT', 'stream');
  else if (type === 'InvitationFailed') setStatus(data.userId, 'FAILED', 'stream');
  else if (type === 'InvitationAnswered') setAnswer(data.userId, data.response, 'stream');
  // a change or the cancellation: the meeting as it now is, with its new ETag and its answers (a new time resets them)
  else reloadSoon(meetingId);
}

const reloadSoon = debounce((meetingId) => {
  if (current && current.meeting.meetingId === meetingId) loadMeeting(meetingId).catch(() => {});
}, 150);

/** Live first: the stream is opened before anything else is asked, so that an invitation sent meanwhile is seen. */
function follow(meetingId, fresh) {
  if (early && early.meetingId === meetingId) {
    const { watch } = early;
    early = null;
    streams = watch.sources;
    watch.deliver = (item) => onLiveEvent(meetingId, item);
    watch.events.splice(0).forEach(watch.deliver);
    $('live').textContent = '(live)';
    return;
  }
  if (early) { early.watch.close(); early = null; }
  $('live').textContent = '(connecting…)';
  const stream = new EventSource(`/api/meetings/stream?meetingId=${encodeURIComponent(meetingId)}`);
  streams = [stream];
  for (const type of LIVE_EVENTS) {
    stream.addEventListener(type, (event) => onLiveEvent(meetingId, { type, data: JSON.parse(event.data) }));
  }
  stream.addEventListener('error', () => { $('live').textContent = '(reconnecting…)'; });
  stream.addEventListener('open', () => {
    $('live').textContent = '(live)';
    // a meeting booked a while ago: its invitations so far. A fresh booking: the notifier records its invitations
    // as it gets them, so ask only if some are still pending after a few seconds (an event missed on the way)
    const catchUp = () => loadInvitations(meetingId).catch(() => {});
    if (!fresh) catchUp();
    else setTimeout(() => { if (streams.includes(stream) && shown.some((id) => (statuses.get(id) || {}).status !== 'SENT' && (statuses.get(id) || {}).status !== 'FAILED')) catchUp(); }, 5000);
  });
}

/** The meeting as it now is (with its ETag); an older version than the one on screen is ignored. */
async function loadMeeting(meetingId) {
  const { data: meeting, etag } = await send('GET', `/api/meetings/${encodeURIComponent(meetingId)}`);
  showMeeting(meeting, etag);
  return meeting;
}

function showMeeting(meeting, etag) {
  const before = current && current.meeting.meetingId === meeting.meetingId ? current.meeting : null;
  if (before && meeting.version < before.version) return;
  current = { meeting, etag };
  for (const a of meeting.attendees) {
    people.set(a.userId, a.name);
    const state = statuses.get(a.userId) || {};
    // an answer the stream told stands against a snapshot of the same version, which may have been read before it
    if (!before || meeting.version > before.version || state.answerVia !== 'stream') {
      statuses.set(a.userId, { ...state, answer: a.response, answerVia: 'snapshot' });
    }
  }
  rememberUser(meeting.organizerId);
  $('meeting-id').textContent = meeting.meetingId;
  $('meeting-name').textContent = meeting.title;
  $('meeting-when').textContent = `${formatTime(meeting.startAt)} – ${formatTime(meeting.endAt)}`;
  $('meeting-location').textContent = meeting.location || '—';
  $('meeting-organizer').textContent = nameOf(meeting.organizerId);
  $('meeting-status').textContent = meeting.status;
  $('meeting-status').className = `meeting-status-${meeting.status}`;
  const cancelled = meeting.status === 'cancelled';
  if (cancelled) $('meeting-notice').textContent = 'This meeting is cancelled.';
  $('my-answer-row').hidden = !meeting.attendees.some((a) => a.userId === me);
  const organizing = meeting.organizerId === me && !cancelled;
  $('organizer-actions').hidden = !organizing;
  if (!organizing) { closeReschedule(false); closeCancel(false); }
  shown = meeting.attendees.map((a) => a.userId);
  renderInvitations(shown);
}

async function openMeeting(meetingId, complete) {
  closeStream();
  statuses.clear();
  shown = [];
  current = null;
  closeReschedule(false);
  closeCancel(false);
  $('meeting-notice').textContent = '';
  $('organizer-actions').hidden = true;
  $('my-answer-row').hidden = true;
  const fresh = complete || pendingComplete === meetingId;
  pendingComplete = null;
  $('meeting-title').textContent = fresh ? 'Booking complete' : 'Meeting';
  follow(meetingId, fresh);
  try {
    await loadMeeting(meetingId);
  } catch (error) {
    closeStream();
    $('live').textContent = '';
    $('meeting-id').textContent = meetingId;
    $('meeting-name').textContent = error.message;
    for (const id of ['meeting-when', 'meeting-location', 'meeting-organizer', 'meeting-status']) $(id).textContent = '';
    $('invitations').tBodies[0].replaceChildren();
  }
  show('meeting-view', 'meeting-title');
}

// ---- the organizer's panels (reschedule, cancel): each opened by its button, which says whether it is open ----

function openPanel(panel, button, first) {
  $(panel).hidden = false;
  $(button).setAttribute('aria-expanded', 'true');
  $(first).focus();
}

function closePanel(panel, button, focus) {
  $(panel).hidden = true;
  $(button).setAttribute('aria-expanded', 'false');
  if (focus && !$('organizer-actions').hidden) $(button).focus();
}

// ---- reschedule: PATCH with If-Match, a merge patch of startAt and endAt ----

function openReschedule() {
  closeCancel(false);
  clearRescheduleErrors();
  editing = current.etag;
  $('reschedule-startAt').value = localInputValue(new Date(current.meeting.startAt));
  $('reschedule-endAt').value = localInputValue(new Date(current.meeting.endAt));
  openPanel('reschedule-form', 'reschedule-open', 'reschedule-startAt');
}

function closeReschedule(focus = true) {
  closePanel('reschedule-form', 'reschedule-open', focus);
}

function clearRescheduleErrors() {
  for (const node of document.querySelectorAll('#reschedule-form .error')) node.textContent = '';
  for (const node of document.querySelectorAll('#reschedule-form [aria-invalid]')) node.removeAttribute('aria-invalid');
}

function rescheduleError(field, message) {
  const input = ['startAt', 'endAt'].includes(field) ? $(`reschedule-${field}`) : null;
  const target = input ? $(`reschedule-${field}-error`) : $('reschedule-error');
  const text = input ? message : `${field ? `${field}: ` : ''}${message}`;
  target.textContent = target.textContent ? `${target.textContent}; ${text}` : text;
  if (input) input.setAttribute('aria-invalid', 'true');
}

async function reschedule(event) {
  event.preventDefault();
  clearRescheduleErrors();
  const { meetingId } = current.meeting;
  const patch = { startAt: isoOf('reschedule-startAt'), endAt: isoOf('reschedule-endAt') };
  $('reschedule-save').disabled = true;
  try {
    const changed = await send('PATCH', `/api/meetings/${encodeURIComponent(meetingId)}`, patch,
      { 'If-Match': editing, 'Content-Type': 'application/merge-patch+json' });
    showMeeting(changed.data, changed.etag);
    $('meeting-notice').textContent = `Rescheduled to ${formatTime(changed.data.startAt)}.`;
    closeReschedule();
  } catch (error) {
    if (error.status === 412) {
      // someone changed it since it was read: show it as it now is; the times typed stay, to be saved again
      await loadMeeting(meetingId).catch(() => {});
      editing = current.etag;
      $('reschedule-error').textContent = 'The meeting was changed meanwhile and has been reloaded: check it and save again.';
      return;
    }
    const errors = (error.problem && error.problem.errors) || [];
    for (const e of errors) rescheduleError(e.field || '', e.message || 'is invalid');
    if (!errors.length) $('reschedule-error').textContent = error.message;
    const first = document.querySelector('#reschedule-form [aria-invalid="true"]');
    if (first) first.focus();
  } finally {
    $('reschedule-save').disabled = false;
  }
}

// ---- cancel: DELETE once confirmed ----

function openCancel() {
  closeReschedule(false);
  $('cancel-error').textContent = '';
  editing = current.etag;
  openPanel('cancel-confirm', 'cancel-open', 'cancel-no');
}

function closeCancel(focus = true) {
  closePanel('cancel-confirm', 'cancel-open', focus);
}

async function cancelMeeting() {
  const { meetingId } = current.meeting;
  $('cancel-yes').disabled = true;
  try {
    await send('DELETE', `/api/meetings/${encodeURIComponent(meetingId)}`, undefined, { 'If-Match': editing });
    await loadMeeting(meetingId);
    closeCancel(false);
    $('meeting-title').focus();
  } catch (error) {
    if (error.status === 412) {
      await loadMeeting(meetingId).catch(() => {});
      editing = current.etag;
      $('cancel-error').textContent = 'The meeting was changed meanwhile and has been reloaded: check it and cancel again if you still want to.';
    } else {
      $('cancel-error').textContent = error.message;
    }
  } finally {
    $('cancel-yes').disabled = false;
  }
}

// ---- my meetings ----

async function showMine() {
  show('mine-view', 'mine-title');
  const now = Date.now();
  // the listing's window is at most 366 days (meeting.listing.max-window)
  const from = new Date(now - 30 * 86400_000).toISOString();
  const to = new Date(now + 330 * 86400_000).toISOString();
  let meetings;
  try {
    meetings = await call('GET', `/api/meetings?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
  } catch (error) {
    $('mine-list').replaceChildren();
    $('mine-empty').textContent = `The meetings could not be listed: ${error.message}`;
    $('mine-empty').hidden = false;
    return;
  }
  $('mine-empty').textContent = 'No meetings.';
  $('mine-empty').hidden = meetings.length > 0;
  $('mine-list').replaceChildren(...meetings.map((meeting) => {
    const organizing = meeting.organizerId === me;
    const role = organizing ? 'You organize it' : `Your answer: ${answerText((meeting.responses || {})[me])}`;
    return element('li', { 'data-meeting-id': meeting.meetingId, 'data-role': organizing ? 'organizer' : 'attendee',
      'data-status': meeting.status },
    element('a', { href: `#meeting/${meeting.meetingId}`, 'data-meeting-id': meeting.meetingId },
      `${meeting.title} — ${formatTime(meeting.startAt)}${meeting.location ? `, ${meeting.location}` : ''}`),
    element('span', { class: 'role' }, role),
    meeting.status === 'cancelled' ? element('span', { class: 'tag tag-cancelled' }, 'Cancelled') : '');
  }));
}

// ---- wiring ----

$('signin-filter').addEventListener('input', debounce((event) => listSignInUsers(event.target.value)
  .catch((error) => { $('signin-error').textContent = error.message; }), 200));
$('sign-out').addEventListener('click', signOut);
$('nav-book').addEventListener('click', () => { location.hash = 'book'; });
$('nav-mine').addEventListener('click', () => { location.hash = 'mine'; });
$('attendee-search').addEventListener('input', (event) => searchUsers(event.target.value));
$('attendee-search').addEventListener('keydown', onSearchKey);
$('attendee-search').addEventListener('blur', () => setTimeout(closeOptions, 100));
$('book-form').addEventListener('submit', book);
$('reschedule-open').addEventListener('click', openReschedule);
$('reschedule-close').addEventListener('click', () => closeReschedule());
$('reschedule-form').addEventListener('submit', reschedule);
$('reschedule-form').addEventListener('keydown', (event) => { if (event.key === 'Escape') closeReschedule(); });
$('reschedule-form').addEventListener('input', (event) => {
  if (event.target.getAttribute('aria-invalid') === 'true') {
    $(`${event.target.id}-error`).textContent = '';
    event.target.removeAttribute('aria-invalid');
  }
});
$('cancel-open').addEventListener('click', openCancel);
$('cancel-no').addEventListener('click', () => closeCancel());
$('cancel-yes').addEventListener('click', cancelMeeting);
$('cancel-confirm').addEventListener('keydown', (event) => { if (event.key === 'Escape') closeCancel(); });
// an error stays until its field is edited
$('book-form').addEventListener('input', (event) => {
  const key = event.target.id === 'attendee-search' ? 'attendees' : event.target.id;
  if (event.target.getAttribute('aria-invalid') === 'true' && $(`${key}-error`)) {
    $(`${key}-error`).textContent = '';
    event.target.removeAttribute('aria-invalid');
  }
});
window.addEventListener('hashchange', () => { if (me) route(); });
window.addEventListener('pagehide', closeStream);
start().catch((error) => {
  $('loading').textContent = `The page could not start: ${error.message}`;
});
