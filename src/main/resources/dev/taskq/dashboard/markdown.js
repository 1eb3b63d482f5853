// A small Markdown subset rendered straight to DOM nodes. Task text is written by models and
// people and may hold anything, so no string of it is ever parsed as HTML: every character ends up
// in a text node (textContent), and only the elements created below exist. "<img src=x
// onerror=alert(1)>" therefore shows as those characters.
//
// Blocks: paragraphs (a line break stays a line break), # headings, - * + bullet and 1. numbered
// lists, > quotes, ``` fenced code, --- rules. Inline: `code`, **strong**, *em*, _em_,
// [text](https://…) and bare http(s) links; a link to any other scheme stays text.

const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

function el(tag, text) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  return e;
}

export function safeHref(href) {
  try {
    const u = new URL(href);
    return SAFE_SCHEMES.has(u.protocol) ? u.href : null;
  } catch {
    return null; // relative or malformed: shown as text
  }
}

function link(text, href) {
  const a = el('a');
  a.href = href;
  a.rel = 'noopener noreferrer nofollow';
  a.target = '_blank';
  inline(text, a);
  return a;
}

// Sticky (y): matched at one index without copying the rest of the text, which keeps a 64 KB
// instruction text linear.
const LINK = /\[([^\]\n]{1,500})\]\(([^)\s]{1,2000})\)/y;
const BARE = /https?:\/\/[^\s<>"'`)\]]+/y;

// An inline span (`code`, **strong**, *em*) closes within this many characters or is plain text:
// the search for a closing mark stays bounded, so hostile text such as 60,000 "*" cannot make
// rendering quadratic.
const MAX_SPAN = 500;
// A longer line is shown as plain text.
const MAX_INLINE = 20000;

/** The first index j in [from, stop) where `ok(j)` holds, or -1. */
function scan(from, stop, ok) {
  for (let j = from; j < stop; j++) if (ok(j)) return j;
  return -1;
}

/** Appends the inline Markdown of `text` to `parent` as text nodes and a few safe elements. */
export function inline(text, parent) {
  if (text.length > MAX_INLINE) {
    parent.append(document.createTextNode(text));
    return;
  }
  let buf = '';
  const flush = () => {
    if (buf) {
      parent.append(document.createTextNode(buf));
      buf = '';
    }
  };
  const space = (ch) => ch === undefined || /\s/.test(ch);
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const stop = Math.min(text.length, i + MAX_SPAN);
    if (c === '\\' && i + 1 < text.length && /[\\`*_[\]()#+\-.!<>]/.test(text[i + 1])) {
      buf += text[i + 1];
      i += 2;
      continue;
    }
    if (c === '`') {
      const end = scan(i + 1, stop, (j) => text[j] === '`');
      if (end > i + 1) {
        flush();
        parent.append(el('code', text.slice(i + 1, end)));
        i = end + 1;
        continue;
      }
    }
    if ((c === '*' || c === '_') && text[i + 1] === c && !space(text[i + 2])) {
      const end = scan(i + 3, stop, (j) => text[j] === c && text[j + 1] === c && !space(text[j - 1]));
      if (end > 0) {
        flush();
        const s = el('strong');
        inline(text.slice(i + 2, end), s);
        parent.append(s);
        i = end + 2;
        continue;
      }
    }
    // *em* anywhere; _em_ only at word edges, so snake_case_names stay as written.
    if ((c === '*' || (c === '_' && (i === 0 || /[\s(]/.test(text[i - 1]))))
        && text[i + 1] !== c && !space(text[i + 1])) {
      const end = scan(i + 2, stop, (j) => text[j] === c && text[j + 1] !== c && !space(text[j - 1])
          && (c === '*' || !/\w/.test(text[j + 1] || '')));
      if (end > 0) {
        flush();
        const e = el('em');
        inline(text.slice(i + 1, end), e);
        parent.append(e);
        i = end + 1;
        continue;
      }
    }
    if (c === '[') {
      LINK.lastIndex = i;
      const m = LINK.exec(text);
      const href = m && safeHref(m[2]);
      if (href) {
        flush();
        parent.append(link(m[1], href));
        i += m[0].length;
        continue;
      }
    }
    if (c === 'h' && (i === 0 || /[\s(]/.test(text[i - 1]))) {
      BARE.lastIndex = i;
      const m = BARE.exec(text);
      const shown = m && m[0].replace(/[.,;:!?]+$/, '');
      const href = shown && safeHref(shown);
      if (href) {
        flush();
        const a = link('', href);
        a.textContent = shown;
        parent.append(a);
        i += shown.length;
        continue;
      }
    }
    buf += c;
    i++;
  }
  flush();
}

const FENCE = /^\s{0,3}```/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
const QUOTE = /^\s{0,3}>\s?/;
const BULLET = /^\s{0,3}[-*+]\s+/;
const NUMBER = /^\s{0,3}\d{1,9}[.)]\s+/;

function startsBlock(line) {
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line)
      || BULLET.test(line) || NUMBER.test(line);
}

function paragraph(lines) {
  const p = el('p');
  lines.forEach((l, k) => {
    if (k > 0) p.append(el('br'));
    inline(l.trim(), p);
  });
  return p;
}

function list(lines, i, marker, tag) {
  const ul = el(tag);
  while (i < lines.length && marker.test(lines[i])) {
    const item = [lines[i].replace(marker, '')];
    i++;
    while (i < lines.length && lines[i].trim() !== '' && !startsBlock(lines[i])) {
      item.push(lines[i]);
      i++;
    }
    const li = el('li');
    item.forEach((l, k) => {
      if (k > 0) li.append(el('br'));
      inline(l.trim(), li);
    });
    ul.append(li);
  }
  return [ul, i];
}

/** The Markdown of `text` as a DocumentFragment; headings start at h3 (the page owns h1, h2). */
export function renderMarkdown(text, depth = 0) {
  const out = document.createDocumentFragment();
  const lines = String(text ?? '').replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === '') {
      i++;
    } else if (FENCE.test(line)) {
      const code = [];
      i++;
      while (i < lines.length && !FENCE.test(lines[i])) code.push(lines[i++]);
      i++; // the closing fence, if any
      const pre = el('pre');
      pre.append(el('code', code.join('\n')));
      out.append(pre);
    } else if (HEADING.test(line)) {
      const m = HEADING.exec(line);
      const h = el('h' + Math.min(6, m[1].length + 2));
      inline(m[2], h);
      out.append(h);
      i++;
    } else if (RULE.test(line)) {
      out.append(el('hr'));
      i++;
    } else if (QUOTE.test(line)) {
      const q = [];
      while (i < lines.length && QUOTE.test(lines[i])) q.push(lines[i++].replace(QUOTE, ''));
      const bq = el('blockquote');
      // Quotes nest; a bound keeps a hostile ">>>>>…" line from recursing without end.
      bq.append(depth < 8 ? renderMarkdown(q.join('\n'), depth + 1) : paragraph(q));
      out.append(bq);
    } else if (BULLET.test(line)) {
      const [node, next] = list(lines, i, BULLET, 'ul');
      out.append(node);
      i = next;
    } else if (NUMBER.test(line)) {
      const [node, next] = list(lines, i, NUMBER, 'ol');
      out.append(node);
      i = next;
    } else {
      const p = [];
      while (i < lines.length && lines[i].trim() !== '' && !(p.length && startsBlock(lines[i]))) {
        p.push(lines[i++]);
      }
      out.append(paragraph(p));
    }
  }
  return out;
}
