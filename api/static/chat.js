// The chat page: asks POST /api/chat, renders the streamed answer with clickable [n]
// chips, and shows the cited passages with the quoted sentences highlighted.
// Every piece of answer or source text goes into the page as text (createTextNode /
// textContent), never as HTML: an article holding <script> shows as those characters.
"use strict";

// The earlier turns the API accepts (QA_MAX_HISTORY_TURNS, QA_MAX_HISTORY_CHARS): a long
// chat sends its latest turns that fit, as chat pages do. The defaults until the server
// says how it is set (loadLimits).
const limits = { max_history_turns: 20, max_history_chars: 20000, max_question_chars: 2000 };
const MARKER = /\[(\d+)\]/g;

const log = document.getElementById("log");
const form = document.getElementById("ask");
const input = document.getElementById("question");
const send = document.getElementById("send");
const newChat = document.getElementById("new-chat");
const stop = document.getElementById("stop");
const statusLine = document.getElementById("status");
const sourcesList = document.getElementById("sources-list");
const sourcesEmpty = document.getElementById("sources-empty");
const announcer = document.getElementById("announcer");
const askNote = document.getElementById("ask-note");
const questionCount = document.getElementById("question-count");

let history = []; // [{role, content}] of finished turns
let busy = false;
let inFlight = null; // the AbortController of the answer being streamed

// --- Server-Sent Events over fetch (EventSource cannot POST) ----------------------

// Parses an SSE byte stream; calls onEvent(name, data) per complete event.
function sseParser(onEvent) {
  let buffer = "";
  return (chunk) => {
    buffer += chunk.replace(/\r\n?/g, "\n");
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue; // comment (keep-alive ping)
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? "" : line.slice(colon + 1);
        if (value.startsWith(" ")) value = value.slice(1);
        if (field === "event") name = value;
        else if (field === "data") data.push(value);
      }
      if (data.length) onEvent(name, data.join("\n"));
    }
  };
}

async function streamChat(body, handlers, signal) {
  const response = await fetch("/api/chat", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok) throw new Error(await errorText(response));
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parse = sseParser((name, data) => {
    const handler = handlers[name];
    if (handler) handler(JSON.parse(data));
  });
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    parse(decoder.decode(value, { stream: true }));
  }
}

// --- Rendering (text only) ----------------------------------------------------------

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// "2016-10-25" as "25 Oct 2016" (UTC: a date, not a moment); "" for no date.
function reportedOn(published) {
  if (!published) return "";
  const day = new Date(`${published}T00:00:00Z`);
  if (Number.isNaN(day.getTime())) return published;
  return day.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

// Answer text with each [n] as a chip button; chips stay disabled until citations arrive.
function renderAnswer(container, text, citations) {
  container.replaceChildren();
  let last = 0;
  for (const match of text.matchAll(MARKER)) {
    container.append(document.createTextNode(text.slice(last, match.index)));
    const n = Number(match[1]);
    const citation = citations && citations.get(n);
    const chip = element("button", "chip", String(n));
    chip.type = "button";
    chip.dataset.n = String(n);
    if (citation) {
      const when = reportedOn(citation.published) || "undated";
      chip.setAttribute("aria-label", `Source ${n}: ${citation.title}, ${when}`);
      chip.title = citation.title;
      chip.addEventListener("click", () => openSource(citations, n));
      // The date of every cited passage is joined to its marker, so each figure shows
      // when it was reported (the chip's label already says it to a screen reader).
      const cite = element("span", "cite");
      const date = element("span", "when", when);
      date.setAttribute("aria-hidden", "true");
      cite.append(chip, date);
      container.append(cite);
    } else {
      chip.disabled = true;
      container.append(chip);
    }
    last = match.index + match[0].length;
  }
  container.append(document.createTextNode(text.slice(last)));
}

// The passage, with the sentences the answer quotes wrapped in <mark>.
function renderQuote(container, quote, sentences) {
  const spans = [];
  for (const sentence of sentences) {
    const start = quote.indexOf(sentence);
    if (start >= 0) spans.push([start, start + sentence.length]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  let last = 0;
  for (const [start, end] of spans) {
    if (start < last) continue; // overlapping quotes: keep the first
    container.append(document.createTextNode(quote.slice(last, start)));
    container.append(element("mark", "", quote.slice(start, end)));
    last = end;
  }
  container.append(document.createTextNode(quote.slice(last)));
}

// Who reported a passage and when: the outlet, else the author; the date, or "undated".
function byline(citation) {
  const by = citation.publisher || citation.author;
  return [by, reportedOn(citation.published) || "undated", citation.source].filter(Boolean);
}

function showSources(citations) {
  sourcesList.replaceChildren();
  sourcesEmpty.hidden = citations.size > 0;
  for (const citation of citations.values()) {
    const item = element("li");
    const details = element("details", "source");
    details.id = `source-${citation.n}`;
    const summary = element("summary");
    summary.append(element("span", "n", `[${citation.n}]`));
    summary.append(element("span", "title", citation.title));
    summary.append(element("span", "meta", byline(citation).join(" · ")));
    const quote = element("p", "quote");
    renderQuote(quote, citation.quote, citation.cited_sentences);
    details.append(summary, quote);
    item.append(details);
    sourcesList.append(item);
  }
}

// An abstention lists the sentences closest to the question, for the reader to judge:
// they are not an answer, so they carry no marker in the text.
function showNearest(item, nearest) {
  if (nearest.length === 0) return;
  const sources = new Map(nearest.map((c) => [c.n, c]));
  const block = element("div", "nearest");
  block.append(element("p", "nearest-label", "Closest passages (they may not answer the question):"));
  const list = element("ol");
  for (const citation of nearest) {
    const entry = element("li");
    const open = element("button", "nearest-quote", `“${citation.cited_sentences.join(" ")}”`);
    open.type = "button";
    open.addEventListener("click", () => openSource(sources, citation.n));
    entry.append(open, element("span", "meta", [citation.title, ...byline(citation).slice(0, 2)].join(" · ")));
    list.append(entry);
  }
  block.append(list);
  item.append(block);
  showSources(sources);
}

function openSource(citations, n) {
  showSources(citations);
  const details = document.getElementById(`source-${n}`);
  if (!details) return;
  details.open = true;
  details.classList.add("selected");
  details.scrollIntoView({ block: "nearest" });
  details.querySelector("summary").focus();
}

// Whether the reader is at the end of the conversation (of the log where it scrolls,
// and of the page where the page does): only then does a new or growing answer pull the
// view along, so a reader who scrolls back to read stays where they are.
function atEnd() {
  const page = document.scrollingElement;
  return log.scrollHeight - log.scrollTop - log.clientHeight < 40
    && page.scrollHeight - page.scrollTop - page.clientHeight < 40;
}

function follow(item, wasAtEnd) {
  if (wasAtEnd) item.scrollIntoView({ block: "end" });
}

function addMessage(role, text) {
  const wasAtEnd = atEnd();
  document.getElementById("intro")?.remove();
  const item = element("li", role);
  item.append(element("span", "label", role === "user" ? "You" : "Answer"));
  const body = element("span", "body", text);
  item.append(body);
  log.append(item);
  follow(item, wasAtEnd || role === "user"); // the reader's own question is always shown
  return { item, body };
}

// Says ``message`` once to a screen reader (the streamed words are not announced).
function announce(message) {
  announcer.textContent = "";
  setTimeout(() => { announcer.textContent = message; }, 50);
}

function spoken(text) {
  return text.replace(MARKER, "").replace(/\s+/g, " ").trim();
}

// --- Conversation -----------------------------------------------------------------------

// A finished answer (the API's response): its text with live markers, its label, the
// closest passages of a declined question, and any notice.
function showAnswer(item, body, data) {
  const citations = new Map(data.citations.map((c) => [c.n, c]));
  renderAnswer(body, data.answer, citations);
  const label = item.querySelector(".label");
  if (!data.answered) {
    item.classList.add("abstention");
    label.textContent = "Not in the articles";
    showNearest(item, data.nearest || []);
  } else {
    label.textContent = data.mode === "generated" ? "Answer · written, each sentence checked" : "Answer · quoted";
    showSources(citations);
  }
  if (data.notice || data.dropped_sentences) {
    const parts = [];
    if (data.dropped_sentences) parts.push(`${data.dropped_sentences} unsupported sentence(s) left out`);
    if (data.notice) parts.push(data.notice);
    item.append(element("span", "notice", parts.join("; ")));
  }
}

// The conversation is kept for the tab's life (sessionStorage), so a reload does not
// lose it, as chat pages keep theirs; "New chat" clears it.
const SAVED = "qa-chat";
let saved = [];

function keep() {
  try {
    sessionStorage.setItem(SAVED, JSON.stringify(saved));
  } catch (_) { /* storage full or refused: the chat still works, unsaved */ }
}

function restore() {
  try {
    saved = JSON.parse(sessionStorage.getItem(SAVED) || "[]");
  } catch (_) {
    saved = [];
  }
  for (const { question, answer } of saved) {
    addMessage("user", question);
    const { item, body } = addMessage("assistant", "");
    showAnswer(item, body, answer);
    history.push({ role: "user", content: question }, { role: "assistant", content: answer.answer });
  }
}

// The latest finished turns that fit the API's limits.
function recentHistory() {
  const kept = [];
  let chars = 0;
  const turns = limits.max_history_turns;
  for (const turn of turns > 0 ? history.slice(-turns).reverse() : []) {
    chars += turn.content.length;
    if (chars > limits.max_history_chars) break;
    kept.unshift(turn);
  }
  while (kept.length && kept[0].role !== "user") kept.shift(); // whole exchanges only
  return kept;
}

// What a failed fetch means to a reader ("Failed to fetch" says nothing); ``midway``:
// part of the answer had arrived, so the server was reached and the connection lost.
function failure(error, midway = false) {
  if (!(error instanceof TypeError)) return error.message;
  return midway ? "the connection to the server was lost" : "the server could not be reached";
}

function setBusy(now) {
  busy = now;
  send.disabled = now;
  stop.hidden = !now;
}

async function ask(question) {
  setBusy(true);
  const controller = new AbortController();
  inFlight = controller;
  addMessage("user", question);
  const { item, body } = addMessage("assistant", "");
  item.classList.add("pending");
  let text = "";
  let citations = new Map();
  let finished = false;
  const filters = currentFilters();
  try {
    const request = { question, history: recentHistory() };
    if (filters) request.filters = filters;
    await streamChat(request, {
      token: (data) => {
        const wasAtEnd = atEnd();
        text += data.text;
        renderAnswer(body, text, null);
        follow(item, wasAtEnd);
      },
      citations: (data) => {
        citations = new Map(data.citations.map((c) => [c.n, c]));
        renderAnswer(body, text, citations);
        showSources(citations);
      },
      done: (data) => {
        const wasAtEnd = atEnd();
        text = data.answer;
        showAnswer(item, body, data);
        if (!data.answered && filters) {
          item.append(element("span", "notice", `Only these articles were searched: ${describeFilters(filters)}.`));
        }
        history.push({ role: "user", content: question }, { role: "assistant", content: text });
        saved.push({ question, answer: data });
        keep();
        finished = true;
        const sources = data.citations.length;
        announce(data.answered
          ? `Answer, from ${sources} source${sources === 1 ? "" : "s"}: ${spoken(text)}`
          : `Not in the articles: ${spoken(text)}`);
        follow(item, wasAtEnd);
      },
      error: (data) => { throw new Error(data.detail); },
    }, controller.signal);
    if (!finished) throw new Error("the answer was cut off before it ended");
  } catch (error) {
    if (controller.signal.aborted) {
      // stopped by the reader, or left behind by "New chat" (then no longer shown)
      item.querySelector(".label").textContent = "Stopped";
      item.append(element("span", "notice", "Stopped before the answer was checked; ask again for it."));
      if (controller.signal.reason !== NEW_CHAT) {
        if (!input.value) input.value = question; // to ask again with Enter
        announce("Stopped.");
      }
    } else {
      item.classList.add("error");
      item.querySelector(".label").textContent = "Not answered";
      const said = `Something went wrong: ${failure(error, text !== "")}.`;
      // what arrived is kept, but marked: it is not a finished, checked answer
      if (text) item.append(element("span", "notice", `${said} The text above is incomplete.`));
      else body.textContent = said;
      if (!input.value) input.value = question; // to ask again with Enter
      announce(`Not answered. ${said}`);
      checkReady();
    }
  } finally {
    item.classList.remove("pending");
    if (inFlight === controller) {
      inFlight = null;
      setBusy(false);
      input.focus();
    }
  }
}

const NEW_CHAT = "new chat";

stop.addEventListener("click", () => inFlight?.abort());
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && inFlight) inFlight.abort();
});

// The question's length against the server's limit, shown as it nears it.
function countQuestion() {
  const length = input.value.trim().length;
  const limit = limits.max_question_chars;
  questionCount.textContent = length > limit * 0.8 ? `${length.toLocaleString("en")} / ${limit.toLocaleString("en")} characters` : "";
  questionCount.classList.toggle("over", length > limit);
}

input.addEventListener("input", () => {
  countQuestion();
  askNote.textContent = "";
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (busy) return;
  const question = input.value.trim();
  if (!question) {
    askNote.textContent = "Type a question first.";
    return;
  }
  if (question.length > limits.max_question_chars) {
    askNote.textContent = `The question is ${question.length.toLocaleString("en")} characters long; `
      + `this server takes up to ${limits.max_question_chars.toLocaleString("en")}. Shorten it and ask again.`;
    return;
  }
  askNote.textContent = "";
  input.value = "";
  countQuestion();
  ask(question);
});

input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});

newChat.addEventListener("click", () => {
  inFlight?.abort(NEW_CHAT); // the old answer must not land in the new chat
  inFlight = null;
  setBusy(false);
  history = [];
  saved = [];
  keep();
  log.replaceChildren();
  sourcesList.replaceChildren();
  sourcesEmpty.hidden = false;
  input.focus();
});

async function loadLimits() {
  try {
    const response = await fetch("/api/limits");
    if (response.ok) Object.assign(limits, await response.json());
  } catch (_) {
    // the defaults stand; checkReady tells the reader the server does not answer
  }
}

// The status line, written only when it changes (a screen reader says it each time).
function setStatus(text) {
  if (statusLine.textContent !== text) statusLine.textContent = text;
}

async function checkReady() {
  try {
    const response = await fetch("/readyz");
    const ready = await response.json();
    if (ready.ready) {
      setStatus(`${ready.articles} articles indexed · ${ready.answerer} answers`);
      return;
    }
    setStatus(ready.error || "Loading the index…");
  } catch (_) {
    setStatus("The server does not answer; retrying…");
  }
  setTimeout(checkReady, 2000);
}

// --- The archive: list, read, filter, add, delete ------------------------------------

const articlesBody = document.getElementById("articles-body");
const filterFrom = document.getElementById("filter-from");
const filterTo = document.getElementById("filter-to");
const filterPublishers = document.getElementById("filter-publishers");
const addForm = document.getElementById("add");
const addStatus = document.getElementById("add-status");
const apiKey = document.getElementById("api-key");
const reader = document.getElementById("reader");
const readerTitle = document.getElementById("reader-title");
const filterNote = document.getElementById("filter-note");
let readerOpener = null; // the button that opened the article, to go back to on Close

// The filters the page sends with each question, or null for every article.
function currentFilters() {
  const publishers = [...filterPublishers.selectedOptions].map((o) => o.value);
  const filters = {};
  if (filterFrom.value) filters.published_from = filterFrom.value;
  if (filterTo.value) filters.published_to = filterTo.value;
  if (publishers.length) filters.publishers = publishers;
  return Object.keys(filters).length ? filters : null;
}

function describeFilters(filters) {
  const parts = [];
  if (filters.publishers) parts.push(filters.publishers.join(", "));
  const from = reportedOn(filters.published_from);
  const to = reportedOn(filters.published_to);
  if (from && to) parts.push(`${from} to ${to}`);
  else if (from) parts.push(`from ${from}`);
  else if (to) parts.push(`up to ${to}`);
  return parts.join(" · ");
}

// The filters are shown beside the question box while any is set (the archive panel
// that sets them may be closed), and kept with the conversation for the tab's life, so
// a follow-up after a reload is answered from the same articles.
const FILTERS = "qa-filters";

function filtersChanged() {
  const filters = currentFilters();
  filterNote.hidden = !filters;
  document.getElementById("filter-text").textContent = filters ? `Answering from: ${describeFilters(filters)}` : "";
  try {
    sessionStorage.setItem(FILTERS, JSON.stringify(filters));
  } catch (_) { /* unsaved, as the chat */ }
}

function restoreFilters() {
  let filters = null;
  try {
    filters = JSON.parse(sessionStorage.getItem(FILTERS) || "null");
  } catch (_) { /* none kept */ }
  if (!filters) return new Set();
  filterFrom.value = filters.published_from || "";
  filterTo.value = filters.published_to || "";
  return new Set(filters.publishers || []);
}

function clearFilters() {
  filterFrom.value = "";
  filterTo.value = "";
  for (const option of filterPublishers.options) option.selected = false;
  filtersChanged();
}

for (const control of [filterFrom, filterTo, filterPublishers]) {
  control.addEventListener("change", filtersChanged);
}
document.getElementById("filter-clear").addEventListener("click", clearFilters);
document.getElementById("filter-note-clear").addEventListener("click", () => {
  clearFilters();
  input.focus();
});

function authHeaders() {
  return apiKey.value ? { Authorization: `Bearer ${apiKey.value}` } : {};
}

async function errorText(response) {
  try {
    const body = await response.json();
    if (body && typeof body.detail === "string") return body.detail;
  } catch (_) { /* not JSON */ }
  return `the server answered ${response.status}`;
}

// A row across the table saying why it lists nothing.
function articlesMessage(text) {
  const cell = element("td", "muted", text);
  cell.colSpan = 5;
  const row = element("tr");
  row.append(cell);
  articlesBody.replaceChildren(row);
}

async function loadArticles(chosen = new Set([...filterPublishers.selectedOptions].map((o) => o.value))) {
  let response;
  try {
    response = await fetch("/api/documents");
  } catch (error) {
    articlesMessage(`The article list could not be loaded: ${failure(error)}.`);
    return;
  }
  if (!response.ok) {
    articlesMessage(`The article list could not be loaded: ${await errorText(response)}`);
    return;
  }
  const { documents } = await response.json();
  articlesBody.replaceChildren();
  if (documents.length === 0) articlesMessage("No article is indexed yet: add one below.");
  const publishers = new Set();
  for (const doc of documents) {
    if (doc.publisher) publishers.add(doc.publisher);
    const row = element("tr");
    row.dataset.id = doc.id;
    const open = element("button", "link", doc.title);
    open.type = "button";
    open.addEventListener("click", () => openArticle(doc.id, open));
    const title = element("td");
    title.append(open);
    const remove = element("button", "secondary", "Delete");
    remove.type = "button";
    remove.setAttribute("aria-label", `Delete ${doc.title}`);
    remove.addEventListener("click", () => deleteArticle(doc.id, doc.title));
    const actions = element("td");
    actions.append(remove);
    row.append(title, element("td", "", doc.publisher || ""), element("td", "", reportedOn(doc.published)),
      element("td", "", String(doc.chunks)), actions);
    articlesBody.append(row);
  }
  filterPublishers.replaceChildren();
  for (const name of [...publishers].sort()) {
    const option = element("option", "", name);
    option.value = name;
    option.selected = chosen.has(name);
    filterPublishers.append(option);
  }
  filtersChanged();
}

// The article's cleaned text, with a numbered mark where each indexed passage begins.
async function openArticle(id, opener) {
  let response;
  try {
    response = await fetch(`/api/documents/${encodeURIComponent(id)}`);
  } catch (error) {
    addStatus.textContent = `Not opened: ${failure(error)}.`;
    return;
  }
  if (!response.ok) {
    addStatus.textContent = response.status === 404
      ? `${id} is no longer in the archive; the list is brought up to date.`
      : `Not opened: ${await errorText(response)}`;
    if (response.status === 404) await loadArticles();
    return;
  }
  const doc = await response.json();
  readerOpener = opener;
  readerTitle.textContent = doc.title;
  document.getElementById("reader-meta").textContent =
    [doc.publisher, reportedOn(doc.published), doc.author,
      `${doc.passages.length} passage${doc.passages.length === 1 ? "" : "s"}`, doc.id]
      .filter(Boolean).join(" · ");
  const text = document.getElementById("reader-text");
  text.replaceChildren();
  const starts = [];
  let from = 0;
  doc.passages.forEach((passage, i) => {
    const head = passage.slice(0, 60);
    const at = doc.text.indexOf(head, from);
    if (at >= 0) {
      starts.push([at, i + 1]);
      from = at + 1;
    }
  });
  let last = 0;
  for (const [at, n] of starts) {
    text.append(document.createTextNode(doc.text.slice(last, at)));
    text.append(element("span", "passage-start", `¶${n}`));
    last = at;
  }
  text.append(document.createTextNode(doc.text.slice(last)));
  reader.hidden = false;
  reader.scrollIntoView({ block: "nearest" });
  readerTitle.focus(); // the reader is far below the list: take the keyboard there
}

document.getElementById("reader-close").addEventListener("click", () => {
  reader.hidden = true;
  if (readerOpener?.isConnected) readerOpener.focus();
  readerOpener = null;
});

async function deleteArticle(id, title) {
  if (!window.confirm(`Delete “${title}” from the archive? It cannot be undone here.`)) return;
  let response;
  try {
    response = await fetch(`/api/documents/${encodeURIComponent(id)}`, {
      method: "DELETE", headers: authHeaders(),
    });
  } catch (error) {
    addStatus.textContent = `Not deleted: ${failure(error)}.`;
    checkReady();
    return;
  }
  addStatus.textContent = response.ok ? `Deleted ${id}.` : `Not deleted: ${await errorText(response)}`;
  const rows = [...articlesBody.querySelectorAll("tr[data-id]")];
  const next = rows[rows.findIndex((row) => row.dataset.id === id) + 1]?.dataset.id;
  if (response.ok && !reader.hidden && readerOpener?.closest("tr")?.dataset.id === id) reader.hidden = true;
  await loadArticles();
  checkReady();
  // The keyboard goes on from the row after the one deleted (its button was removed).
  const after = (next && articlesBody.querySelector(`tr[data-id="${CSS.escape(next)}"] button.link`))
    || articlesBody.querySelector("button.link");
  if (after) after.focus();
  else addStatus.focus();
}

addForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const url = document.getElementById("add-url").value.trim();
  const file = document.getElementById("add-file").files[0];
  if (!url && !file) {
    addStatus.textContent = "Give a web page's address or choose a file.";
    return;
  }
  let response;
  addStatus.textContent = "Adding…";
  try {
    if (url) {
      response = await fetch("/api/documents", {
        method: "POST",
        headers: { "Content-Type": "application/json", ...authHeaders() },
        body: JSON.stringify({ url }),
      });
    } else {
      const form = new FormData();
      form.append("file", file);
      response = await fetch("/api/documents", { method: "POST", headers: authHeaders(), body: form });
    }
  } catch (error) {
    addStatus.textContent = `Not added: ${failure(error)}.`;
    checkReady();
    return;
  }
  if (response.ok) {
    const written = await response.json();
    addStatus.textContent = `${written.id}: ${written.outcome} (${written.detail}).`;
    const key = apiKey.value;
    addForm.reset();
    apiKey.value = key;
  } else {
    addStatus.textContent = `Not added: ${await errorText(response)}`;
  }
  await loadArticles();
  checkReady();
});

restore();
loadLimits().then(countQuestion);
checkReady();
loadArticles(restoreFilters());
input.focus();
