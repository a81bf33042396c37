// @ts-check
/* global document, window, NodeFilter, getComputedStyle -- runs in the page, not in Node */
/*
 * Measures a rendered page the way a person at phone width sees it (issue 19). Injected into
 * the page by test/support/phone-layout.ts (page.addScriptTag), it defines
 * `window.madoguchiLayoutProbe` with:
 * - problems(): what makes the page unusable at its width: the document scrolls sideways (and
 *   which elements stick out), a text shown one or two characters per line, a heading, button,
 *   label, menu entry or table header that leaves a single character alone on a line;
 * - lines(selector): the text of each line of each matching element, as laid out.
 * Lines are found from each character's box (Range.getClientRects): a character whose box
 * starts lower than half the previous one's height begins a new line.
 */
(function () {
  /** Short enough to read in a test failure, precise enough to find the element. */
  function describe(element) {
    const parts = [];
    for (let el = element; el && el !== document.body && parts.length < 4; el = el.parentElement) {
      let part = el.tagName.toLowerCase();
      if (el.id) part += `#${el.id}`;
      const classes = [...el.classList].slice(0, 2);
      if (classes.length > 0) part += `.${classes.join('.')}`;
      parts.unshift(part);
      if (el.id) break;
    }
    return parts.join(' > ');
  }

  /** Text nodes of an element in reading order, skipping invisible ones. */
  function textNodesOf(root) {
    const nodes = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (/** @type {Text} */ (node).data.trim() !== '') nodes.push(/** @type {Text} */ (node));
    }
    return nodes;
  }

  /** The lines the characters of these text nodes fall on, each as the text it shows. */
  function linesOf(nodes) {
    const range = document.createRange();
    /** @type {string[]} */
    const lines = [];
    let previous = /** @type {DOMRect | null} */ (null);
    for (const node of nodes) {
      const text = node.data;
      for (let i = 0; i < text.length;) {
        const codePoint = text.codePointAt(i) ?? 0;
        const size = codePoint > 0xffff ? 2 : 1;
        const char = text.slice(i, i + size);
        range.setStart(node, i);
        range.setEnd(node, i + size);
        i += size;
        if (/\s/.test(char)) continue;
        const box = range.getClientRects()[0];
        if (!box || box.width === 0) continue;
        if (!previous || box.top - previous.top > previous.height / 2) lines.push('');
        lines[lines.length - 1] += char;
        previous = box;
      }
    }
    return lines;
  }

  function visible(element) {
    if (!element.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
    const box = element.getBoundingClientRect();
    // Visually hidden text (1px, clipped) is for screen readers, and a honeypot field sits far
    // off the page's left edge: neither is laid out to be read.
    const scrolledLeft = document.documentElement.scrollLeft;
    return box.width > 1 && box.height > 1 && box.right + scrolledLeft > 0;
  }

  /** An ancestor that scrolls or clips sideways and itself fits: what sticks out stays in it. */
  function containedSideways(element, width) {
    for (let el = element.parentElement; el && el !== document.body; el = el.parentElement) {
      const overflow = getComputedStyle(el).overflowX;
      if (overflow !== 'visible' && el.getBoundingClientRect().right <= width + 0.5) return true;
    }
    return false;
  }

  function sidewaysProblems() {
    const root = document.documentElement;
    const width = root.clientWidth;
    if (root.scrollWidth <= width) return [];
    const out = [];
    for (const element of document.body.querySelectorAll('*')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0) continue;
      // The element's own box, or its content (a text that does not wrap), reaches past the edge.
      const overflowing =
        getComputedStyle(element).overflowX === 'visible' &&
        element.scrollWidth > element.clientWidth + 1 &&
        box.left + element.scrollWidth > width + 0.5;
      if (box.right <= width + 0.5 && !overflowing) continue;
      if (containedSideways(element, width)) continue;
      out.push(element);
    }
    // The innermost ones: what sticks out, not every box around it.
    const innermost = out.filter((el) => !out.some((other) => other !== el && el.contains(other)));
    const culprits = innermost
      .slice(0, 5)
      .map(
        (el) => `${describe(el)} (right edge ${Math.round(el.getBoundingClientRect().right)}px)`,
      );
    return [`scrolls sideways: scrollWidth ${root.scrollWidth} > ${width}: ${culprits.join('; ')}`];
  }

  /** A text laid out one (or two) characters per line: its box is far too narrow. */
  function narrowTextProblems() {
    const out = [];
    for (const node of textNodesOf(document.body)) {
      const parent = node.parentElement;
      if (!parent || node.data.trim().length < 2 || parent.closest('script, style')) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      if (range.getClientRects().length < 2 || !visible(parent)) continue;
      const lines = linesOf([node]);
      const longest = Math.max(...lines.map((line) => [...line].length));
      if ((lines.length >= 2 && longest <= 1) || (lines.length >= 3 && longest <= 2)) {
        out.push(
          `text ${longest === 1 ? 'one' : 'two'} character(s) per line: ${describe(parent)} 「${lines.join('/')}」`,
        );
      }
    }
    return out;
  }

  /** Words people read at a glance: a phrase broken so that one character sits alone. */
  const PHRASE_ELEMENTS =
    'h1, h2, h3, h4, button, .btn, .button, label, legend, summary, nav a, th, .tab, caption, .site-header__name';

  function orphanProblems() {
    const out = [];
    for (const element of document.body.querySelectorAll(PHRASE_ELEMENTS)) {
      if (!visible(element)) continue;
      const lines = linesOf(textNodesOf(element));
      if (lines.length < 2) continue;
      if (lines.some((line) => [...line].length === 1)) {
        out.push(`one character alone on a line: ${describe(element)} 「${lines.join('/')}」`);
      }
    }
    return out;
  }

  /** How wide a text is in the element's own font, on one line. */
  function widthIn(element, text) {
    const span = document.createElement('span');
    span.style.whiteSpace = 'nowrap';
    span.style.position = 'absolute';
    span.textContent = text;
    element.appendChild(span);
    const width = span.getBoundingClientRect().width;
    span.remove();
    return width;
  }

  /**
   * Each matching element's lines, the width its text has (content box), and the width of the
   * widest of its phrases (`phrases[i]` for the i-th element): a phrase wider than the box must
   * break inside, any other must not.
   */
  function phraseLayout(selector, phrases) {
    return [...document.querySelectorAll(selector)].map((element, index) => {
      const style = getComputedStyle(element);
      const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
      const border = parseFloat(style.borderLeftWidth) + parseFloat(style.borderRightWidth);
      return {
        lines: linesOf(textNodesOf(element)),
        contentWidth: element.getBoundingClientRect().width - padding - border,
        widestPhrase: Math.max(0, ...(phrases[index] ?? []).map((p) => widthIn(element, p))),
      };
    });
  }

  /** @type {any} */ (window).madoguchiLayoutProbe = {
    problems: () => [...sidewaysProblems(), ...narrowTextProblems(), ...orphanProblems()],
    lines: (/** @type {string} */ selector) =>
      [...document.querySelectorAll(selector)].map((element) => linesOf(textNodesOf(element))),
    phraseLayout,
  };
})();
