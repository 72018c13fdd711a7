// The chat page: asks POST /api/chat, renders the streamed answer with clickable [n]
// chips, and shows the cited passages with the quoted sentences highlighted.
// Every piece of answer or source text goes into the page as text (createTextNode /
// textContent), never as HTML: an article holding <script> shows as those characters.
"use strict";

const MAX_HISTORY = 20; // turns the API accepts
const MARKER = /\[(\d+)\]/g;

const log = document.getElementById("log");
const form = document.getElementById("ask");
const input = document.getElementById("question");
const send = document.getElementById("send");
const newChat = document.getElementById("new-chat");
const statusLine = document.getElementById("status");
const sourcesList = document.getElementById("sources-list");
const sourcesEmpty = document.getElementById("sources-empty");

let history = []; // [{role, content}] of finished turns
let busy = false;

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

async function streamChat(body, handlers) {
  const response = await fetch("/api/chat", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    let message = `the server answered ${response.status}`;
    try {
      const error = await response.json();
      if (error && typeof error.detail === "string") message = error.detail;
    } catch (_) { /* not JSON */ }
    throw new Error(message);
  }
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
      const when = reportedOn(citation.published);
      chip.setAttribute("aria-label", `Source ${n}: ${citation.title}${when ? `, ${when}` : ""}`);
      chip.title = citation.title;
      chip.addEventListener("click", () => openSource(citations, n));
      container.append(chip);
      // The date of every cited passage stands beside its marker, so each figure shows
      // when it was reported.
      if (when) container.append(element("span", "when", when));
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
    const meta = [citation.publisher, citation.published, citation.source].filter(Boolean);
    summary.append(element("span", "meta", meta.join(" · ")));
    const quote = element("p", "quote");
    renderQuote(quote, citation.quote, citation.cited_sentences);
    details.append(summary, quote);
    item.append(details);
    sourcesList.append(item);
  }
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

function addMessage(role, text) {
  document.getElementById("intro")?.remove();
  const item = element("li", role);
  item.append(element("span", "label", role === "user" ? "You" : "Answer"));
  const body = element("span", "body", text);
  item.append(body);
  log.append(item);
  item.scrollIntoView({ block: "end" });
  return { item, body };
}

// --- Conversation -----------------------------------------------------------------------

async function ask(question) {
  busy = true;
  send.disabled = true;
  addMessage("user", question);
  const { item, body } = addMessage("assistant", "");
  item.classList.add("pending");
  let text = "";
  let citations = new Map();
  try {
    await streamChat({ question, history: history.slice(-MAX_HISTORY) }, {
      token: (data) => {
        text += data.text;
        renderAnswer(body, text, null);
        item.scrollIntoView({ block: "end" });
      },
      citations: (data) => {
        citations = new Map(data.citations.map((c) => [c.n, c]));
        renderAnswer(body, text, citations);
        showSources(citations);
      },
      done: (data) => {
        text = data.answer;
        renderAnswer(body, text, citations);
        const label = item.querySelector(".label");
        if (!data.answered) {
          item.classList.add("abstention");
          label.textContent = "Not in the articles";
        } else {
          label.textContent = data.mode === "generated" ? "Answer · written, each sentence checked" : "Answer · quoted";
        }
        if (data.notice || data.dropped_sentences) {
          const parts = [];
          if (data.dropped_sentences) parts.push(`${data.dropped_sentences} unsupported sentence(s) left out`);
          if (data.notice) parts.push(data.notice);
          item.append(element("span", "notice", parts.join("; ")));
        }
        history.push({ role: "user", content: question }, { role: "assistant", content: text });
        item.scrollIntoView({ block: "end" });
      },
      error: (data) => { throw new Error(data.detail); },
    });
  } catch (error) {
    item.classList.add("error");
    body.textContent = `Something went wrong: ${error.message}`;
  } finally {
    item.classList.remove("pending");
    busy = false;
    send.disabled = false;
    input.focus();
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const question = input.value.trim();
  if (!question || busy) return;
  input.value = "";
  ask(question);
});

input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});

newChat.addEventListener("click", () => {
  history = [];
  log.replaceChildren();
  sourcesList.replaceChildren();
  sourcesEmpty.hidden = false;
  input.focus();
});

async function checkReady() {
  try {
    const response = await fetch("/readyz");
    const ready = await response.json();
    if (ready.ready) {
      statusLine.textContent = `${ready.articles} articles indexed · ${ready.answerer} answers`;
      return;
    }
    statusLine.textContent = ready.error || "Loading the index…";
  } catch (_) {
    statusLine.textContent = "The server does not answer; retrying…";
  }
  setTimeout(checkReady, 2000);
}

checkReady();
input.focus();
