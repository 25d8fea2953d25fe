// Drives the search page in headless Chromium against a running server that
// holds the fixture articles (started by tests/it/browser.rs).
//
//   node tests/browser/search_page.mjs BASE_URL ARTIFACT_DIR
//
// Types a query, clicks facets, opens a speaker page and an article view,
// uses the keyboard and a phone-sized window, checks the API docs page, and
// saves a screenshot of each step in ARTIFACT_DIR. Exits non-zero on the
// first failed check.

import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [base, artifacts] = process.argv.slice(2);
if (!base || !artifacts) {
  console.error("usage: node search_page.mjs BASE_URL ARTIFACT_DIR");
  process.exit(2);
}
mkdirSync(artifacts, { recursive: true });
const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
// A fresh profile for every run.
const userDataDir = mkdtempSync(join(tmpdir(), "verbatim-chromium-"));

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
  console.log(`ok - ${message}`);
}

async function api(path) {
  const response = await fetch(base + path);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

// Code-point slice, the way the server counts offsets.
function codePoints(text, start, end) {
  return Array.from(text).slice(start, end).join("");
}

const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
  viewport: { width: 1280, height: 900 },
});
const problems = [];
let failed = false;
try {
  const page = context.pages()[0] || (await context.newPage());
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    // The browser logs every 4xx answer; the page shows those to the user (step 8).
    const text = message.text();
    if (message.type() === "error" && !/status of 4\d\d/.test(text)) problems.push(`console error: ${text}`);
  });
  page.on("requestfailed", (request) => {
    const failure = request.failure()?.errorText || "";
    if (!failure.includes("ERR_ABORTED")) problems.push(`request failed: ${request.url()} ${failure}`);
  });
  const total = async () => Number(await page.locator(".result-count").getAttribute("data-total"));
  const waitForTotal = async (expected) => page.waitForFunction(
    (value) => document.querySelector(".result-count")?.dataset.total === String(value) && !document.querySelector(".results.loading"),
    expected, { timeout: 10000 });

  // 1. The page loads and shows every statement (copies folded), newest first.
  const stats = await api("/v1/stats");
  const statements = await api("/v1/quotes?group=statement&limit=0");
  await page.goto(base + "/");
  await page.waitForSelector(".quote-card");
  check(await page.locator("#stats").textContent() === `${stats.articles} articles · ${stats.quotes} quotes`, "header shows the index size");
  check(await total() === statements.total && statements.total < stats.quotes, `all ${statements.total} statements (${stats.quotes} quotes) are counted before any query`);

  // 2. Instant search: type, results follow without pressing Enter.
  const query = "china";
  const expected = await api(`/v1/quotes?q=${query}&group=statement&limit=0`);
  await page.locator("#q").click();
  await page.keyboard.type(query, { delay: 40 });
  await waitForTotal(expected.total);
  check(new URL(page.url()).searchParams.get("q") === query, "the URL follows the query");
  const cards = page.locator(".quote-card");
  check(await cards.count() === Math.min(expected.total, 20), `${await cards.count()} quote cards for “${query}”`);
  check(await page.locator(".quote-card mark").count() > 0, "matches are highlighted with <mark>");
  const firstCard = cards.first();
  check(await firstCard.locator(".speaker-name").count() === 1, "a card names its speaker");
  check(await firstCard.locator(".article-link").count() === 1, "a card links to its article");
  await page.screenshot({ path: join(artifacts, "1-search.png"), fullPage: true });

  // 2b. A reprinted statement is one card; its copies are one click away.
  const copiesLink = page.locator(".statement-line .copies-link").first();
  check(await copiesLink.count() === 1, "a reprinted statement says how many copies it has");
  const copies = Number(await page.locator(".statement-line").first().getAttribute("data-copies"));
  await copiesLink.click();
  await waitForTotal(copies);
  check(await page.locator(".quote-card").count() === copies && new URL(page.url()).searchParams.get("statement"), `its ${copies} copies are listed`);
  await page.screenshot({ path: join(artifacts, "1b-copies.png"), fullPage: true });
  await page.goBack();
  await waitForTotal(expected.total);

  // 3. Clicking a facet filters the results; counts update; other values stay visible.
  const speakerFacet = page.locator('.facet[data-facet="speaker"] .facet-value').first();
  const speaker = await speakerFacet.getAttribute("data-value");
  const speakerCount = Number((await speakerFacet.locator(".facet-count").textContent()).replaceAll(",", ""));
  await speakerFacet.click();
  await waitForTotal(speakerCount);
  check(await total() === speakerCount, `facet “${speaker}” narrows to its count (${speakerCount})`);
  const shownSpeakers = await page.locator(".quote-card .speaker-name").allTextContents();
  check(shownSpeakers.length > 0 && shownSpeakers.every((name) => name === speaker), "every card is by the chosen speaker");
  check(await page.locator(`.facet[data-facet="speaker"] .facet-value[aria-pressed="true"]`).count() === 1, "the chosen value is pressed");
  check(await page.locator('.facet[data-facet="speaker"] .facet-value').count() > 1, "other speakers stay selectable");
  const sourceFacet = page.locator('.facet[data-facet="source"] .facet-value').first();
  const source = await sourceFacet.getAttribute("data-value");
  const both = await api(`/v1/quotes?q=${query}&speaker=${encodeURIComponent(speaker)}&source=${encodeURIComponent(source)}&group=statement&limit=0`);
  await sourceFacet.click();
  await waitForTotal(both.total);
  check(await page.locator(".chips .chip").count() === 2, "active filters are listed as removable chips");
  await page.screenshot({ path: join(artifacts, "2-facets.png"), fullPage: true });
  await page.locator(".chips .chip").last().click();
  await waitForTotal(speakerCount);
  check(true, "removing a chip restores the count");

  // 4. The speaker page: statements by month stacked by topic (from the
  // timeline API), top topics, co-quoted speakers, statements listed.
  await page.locator(".quote-card .speaker-name").first().click();
  await page.waitForSelector(".speaker-page h1");
  check(await page.locator(".speaker-page h1").textContent() === speaker, "the speaker page is titled with the name");
  const speakerQuotes = await api(`/v1/quotes?speaker=${encodeURIComponent(speaker)}&group=statement&count=statements&facets=topic&facet_limit=1000&limit=0`);
  const history = await api(`/v1/speakers/${encodeURIComponent(speaker)}/timeline`);
  const bars = await page.locator(".timeline-bar").evaluateAll((elements) => elements.map((e) => Number(e.dataset.count)));
  check(JSON.stringify(bars) === JSON.stringify(history.intervals.map((interval) => interval.statements)), `the timeline shows ${history.intervals.length} months of statements`);
  check(history.statements < history.quotes, `reprints are folded (${history.statements} statements, ${history.quotes} quotes)`);
  check(Number(await page.locator(".speaker-counts").getAttribute("data-statements")) === history.statements, "the profile counts statements");
  check(await page.locator(".timeline-segment").count() > 0 && await page.locator(".timeline-legend li").count() > 0, "bars are split by topic, with a legend");
  check(await page.locator(".topic-chips:not(.co-quoted) a").count() === Math.min(12, speakerQuotes.facets.topic.length), "top topics are listed");
  check(await page.locator(".co-quoted a").count() === history.co_quoted.length, "co-quoted speakers are listed");
  check(await page.locator(".speaker-page .quote-card").count() === Math.min(20, speakerQuotes.total), "the speaker's statements are listed");
  await page.screenshot({ path: join(artifacts, "3-speaker.png"), fullPage: true });
  await page.goBack();
  await page.waitForSelector(".quote-card");
  check(new URL(page.url()).searchParams.get("speaker") === speaker, "Back returns to the filtered search");

  // 5. The article view highlights every quote at its offsets, astral characters included.
  await page.goto(`${base}/?q=${encodeURIComponent("fireworks")}`);
  await page.waitForSelector(".quote-card .article-link");
  await page.locator(".quote-card .article-link").first().click();
  await page.waitForSelector(".article-body");
  const articleId = new URL(page.url()).searchParams.get("id");
  const article = await api(`/v1/articles/${encodeURIComponent(articleId)}`);
  const marks = await page.locator(".article-body .quote-mark").evaluateAll((elements) =>
    elements.map((e) => ({ position: Number(e.dataset.position), text: e.textContent })));
  check(article.quotes.length > 0 && marks.length >= article.quotes.length, `${marks.length} highlighted passages for ${article.quotes.length} quotes`);
  for (const mark of marks) {
    const quote = article.quotes[mark.position];
    const pieces = quote.pieces?.length ? quote.pieces : [[quote.start, quote.end]];
    const texts = pieces.map(([start, end]) => codePoints(article.body, start, end));
    if (!texts.includes(mark.text)) throw new Error(`mark ${mark.position} shows “${mark.text}”, expected one of ${JSON.stringify(texts)}`);
  }
  check(/[\u{10000}-\u{10FFFF}]/u.test(article.body), "the article has characters outside the BMP");
  check(true, "every highlight is exactly the quote's code-point range");
  check(await page.locator(".quote-mark.active").count() >= 1, "the quote we came from is selected");
  await page.screenshot({ path: join(artifacts, "4-article.png"), fullPage: true });

  // The seed article, for the record.
  await page.goto(`${base}/?view=article&id=cnn-blinken-beijing&quote=3`);
  await page.waitForSelector(".article-body .quote-mark");
  await page.screenshot({ path: join(artifacts, "5-article-seed.png"), fullPage: false });

  // 6. Keyboard only: "/" focuses the search box, Tab reaches a facet, Enter applies it.
  await page.goto(base + "/");
  await page.waitForSelector(".quote-card");
  await page.locator("body").click({ position: { x: 5, y: 300 } });
  await page.keyboard.press("/");
  check(await page.evaluate(() => document.activeElement?.id) === "q", "“/” focuses the search box");
  await page.keyboard.type("trade");
  const trade = await api("/v1/quotes?q=trade&group=statement&limit=0");
  await waitForTotal(trade.total);
  let reached = false;
  for (let i = 0; i < 12 && !reached; i += 1) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement?.classList.contains("facet-value"));
  }
  check(reached, "Tab reaches the facet buttons");
  const focused = await page.evaluate(() => ({ facet: document.activeElement.dataset.facet, value: document.activeElement.dataset.value }));
  await page.keyboard.press("Enter");
  await page.waitForFunction(({ facet, value }) => new URL(location.href).searchParams.getAll(facet).includes(value), focused);
  check(true, `Enter on a facet applies it (${focused.facet}: ${focused.value})`);
  await page.locator("#q").focus();
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => !new URL(location.href).searchParams.get("q"));
  check(await page.locator("#q").inputValue() === "", "Escape clears the query");

  // 7. A phone-width window: no sideways scrolling, facets collapse.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/?q=china`);
  await page.waitForSelector(".quote-card");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `no horizontal overflow at 390 px (${overflow})`);
  check(await page.locator(".facet[open]").count() === 0, "facet panels start collapsed on a phone");
  await page.screenshot({ path: join(artifacts, "6-phone.png"), fullPage: false });
  await page.setViewportSize({ width: 1280, height: 900 });

  // 8. A query error is shown, not thrown.
  await page.goto(`${base}/?q=${encodeURIComponent("(china")}`);
  await page.waitForSelector(".notice.error");
  check((await page.locator(".notice.error").textContent()).includes("position"), "a syntax error says where");

  // 9. The API docs page renders every operation of the spec.
  const spec = await api("/v1/openapi.json");
  const operations = Object.values(spec.paths).flatMap((item) => Object.keys(item).filter((k) => ["get", "post", "put", "patch", "delete"].includes(k)));
  await page.goto(base + "/docs");
  await page.waitForSelector(".operation[data-operation]");
  check(await page.locator(".operation[data-operation]").count() === operations.length, `the docs page shows all ${operations.length} operations`);
  check(await page.locator(".operation[data-schema]").count() === Object.keys(spec.components.schemas).length, "and every schema");
  await page.screenshot({ path: join(artifacts, "7-docs.png"), fullPage: false });

  // 10. The README screenshot: a query with a facet applied.
  await page.goto(`${base}/?q=${encodeURIComponent("china OR trade")}&source=CNN`);
  await page.waitForSelector(".quote-card");
  await page.waitForFunction(() => !document.querySelector(".results.loading"));
  await page.screenshot({ path: join(artifacts, "search-page.png"), fullPage: false });

  check(problems.length === 0, `no page errors (${problems.join("; ")})`);
} catch (error) {
  failed = true;
  console.error(error.stack || String(error));
  if (problems.length) console.error(problems.join("\n"));
  try {
    const page = context.pages()[0];
    if (page) await page.screenshot({ path: join(artifacts, "failure.png"), fullPage: true });
  } catch { /* the browser may be gone */ }
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
