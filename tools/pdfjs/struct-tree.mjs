#!/usr/bin/env node
// Reads a PDF with Mozilla pdf.js (npm pdfjs-dist, legacy build: it runs on Node.js 20)
// and prints, as JSON on stdout, what pdf.js sees of its structure tree:
//
//   { "file": path, "pdfjs": version, "numPages": n, "markInfo": getMarkInfo(),
//     "pages": [ { "page": 1, "structTree": page.getStructTree(),
//                  "text": page.getTextContent({includeMarkedContent: true}).items,
//                  "contentText": { "<content id>": "its text", ... } }, ... ] }
//
// structTree is pdf.js's own tree for that page: {role, children, alt?, lang?} nodes and
// {type: "content", id} leaves (one marked-content sequence each; the id is the one the
// text items' "beginMarkedContentProps" carry). contentText joins the text shown inside
// each such marked content, so a reader of this JSON can map a tree node to its words.
//
// Usage: node tools/pdfjs/struct-tree.mjs FILE.pdf [FILE.pdf ...]
//   (install first: npm ci --prefix tools/pdfjs). One line of JSON per file, in order
//   (one node start for many files). Reads the files only; no network.

import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write("usage: node struct-tree.mjs FILE.pdf [FILE.pdf ...]\n");
  process.exit(2);
}

const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
const require = createRequire(import.meta.url);
const distDir = path.dirname(require.resolve("pdfjs-dist/package.json"));

function textOf(items) {
  // Text of each marked-content id: the strings shown while it is open (nested ones too).
  const open = [];
  const out = {};
  for (const item of items) {
    if (item.type === "beginMarkedContentProps" || item.type === "beginMarkedContent") {
      open.push(item.id ?? null);
      if (item.id != null && !(item.id in out)) out[item.id] = "";
    } else if (item.type === "endMarkedContent") {
      open.pop();
    } else if (typeof item.str === "string") {
      for (const id of open) {
        if (id != null) out[id] += item.str + (item.hasEOL ? "\n" : "");
      }
    }
  }
  return out;
}

async function read(file) {
  const doc = await pdfjs.getDocument({
    data: new Uint8Array(await readFile(file)),
    verbosity: pdfjs.VerbosityLevel.ERRORS,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    // The 14 standard fonts' data and the CMaps ship with pdfjs-dist (read from disk).
    standardFontDataUrl: path.join(distDir, "standard_fonts") + path.sep,
    cMapUrl: path.join(distDir, "cmaps") + path.sep,
    cMapPacked: true,
  }).promise;
  const result = {
    file,
    pdfjs: pdfjs.version,
    numPages: doc.numPages,
    markInfo: await doc.getMarkInfo(),
    pages: [],
  };
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const structTree = await page.getStructTree();
    const content = await page.getTextContent({ includeMarkedContent: true });
    const text = content.items.map((item) =>
      "str" in item
        ? { str: item.str, hasEOL: item.hasEOL }
        : { type: item.type, id: item.id ?? null, tag: item.tag ?? null });
    result.pages.push({ page: n, structTree, text, contentText: textOf(content.items) });
    page.cleanup();
  }
  await doc.destroy();
  return result;
}

for (const file of files) {
  process.stdout.write(JSON.stringify(await read(file)) + "\n");
}
