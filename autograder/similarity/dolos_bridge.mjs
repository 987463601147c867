// Dolos's library (@dodona/dolos-lib) for autograder/similarity/dolos.py: one JSON job on
// stdin, one JSON answer on stdout. Usage: node dolos_bridge.mjs <path of dolos-lib's index.js>
//
// job: {"analyses": [{"language": "python" | "char", "k": 12, "window": 8,
//                     "given": ["release text", ...], "files": ["answer", ...],
//                     "explain": [[i, j], ...]}]}
// answer, per analysis: {"own": [fingerprints of each file not in the release],
//                        "shared": [[i, j, of i's fingerprints in j, of j's in i], ...],
//                        "fragments": [[i, j, [[i's region, j's region], ...]], ...]}
// A region is [startRow, startColumn, endRow, endColumn] (0-based, end exclusive). Pairs
// sharing nothing are left out; fragments only for the pairs in "explain".
import { pathToFileURL } from "node:url";

const dolos = await import(pathToFileURL(process.argv[2]).href);
const { File, FingerprintIndex, LanguagePicker, Pair, WinnowFilter } = dolos;

let input = "";
for await (const chunk of process.stdin) input += chunk;
const job = JSON.parse(input);

const picker = new LanguagePicker();
const tokenizers = new Map();
async function tokenizer(language) {
  if (!tokenizers.has(language)) {
    tokenizers.set(language, await (await picker.findLanguage(language)).createTokenizer({}));
  }
  return tokenizers.get(language);
}

// Occurrences of each fingerprint the file does not share with the release.
function ownCounts(entry) {
  const counts = new Map();
  for (const fingerprint of entry.shared) counts.set(fingerprint, fingerprint.occurrencesOf(entry.file).length);
  return counts;
}

function region(r) {
  return [r.startRow, r.startCol, r.endRow, r.endCol];
}

async function analyse(analysis) {
  const tokens = await tokenizer(analysis.language);
  const index = new FingerprintIndex(analysis.k, analysis.window, false);
  const files = analysis.files.map((text, i) => tokens.tokenizeFile(new File(`answer-${i}`, text)));
  index.addFiles(files);
  // Every k-gram of the release (no winnowing), so no part of it can be selected in an answer.
  const everyKgram = new WinnowFilter(analysis.k, 1, false);
  for (const [i, text] of analysis.given.entries()) {
    const given = tokens.tokenizeFile(new File(`release-${i}`, text));
    index.addIgnoredHashes(everyKgram.fingerprints(given.tokens).map(f => f.hash));
  }
  const entries = index.entries();
  const counts = entries.map(ownCounts);
  const own = counts.map(c => [...c.values()].reduce((a, b) => a + b, 0));
  const shared = [];
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      let inI = 0, inJ = 0;
      const [fewer, more] = counts[i].size <= counts[j].size ? [counts[i], counts[j]] : [counts[j], counts[i]];
      for (const [fingerprint, n] of fewer) {
        const m = more.get(fingerprint);
        if (m === undefined) continue;
        if (fewer === counts[i]) { inI += n; inJ += m; } else { inI += m; inJ += n; }
      }
      if (inI + inJ > 0) shared.push([i, j, inI, inJ]);
    }
  }
  const fragments = (analysis.explain || []).map(([i, j]) => {
    const pair = new Pair(entries[i], entries[j]);
    return [i, j, pair.buildFragments().map(f => [region(f.leftSelection), region(f.rightSelection)])];
  });
  return { own, shared, fragments };
}

const answers = [];
for (const analysis of job.analyses) answers.push(await analyse(analysis));
process.stdout.write(JSON.stringify({ analyses: answers }));
