#!/usr/bin/env node
// Headless run of the Cucumber Language Service (the engine of the VS Code
// "Cucumber" extension) over a project: indexes step definitions in the glue
// files, reports undefined steps in the feature files and asks for completions.
// tests/specs/test_editors_spec.py runs it over a project made by `zmqprose init`.
//
// It does what @cucumber/language-server's CucumberLanguageServer.reindex(),
// sendDiagnostics() and onCompletion() do, with the same library calls and the
// same WASM tree-sitter parsers the VS Code extension loads, minus VS Code.
// Install: npm ci --ignore-scripts --omit=optional (versions pinned in package-lock.json,
// those the extension CucumberOpen.cucumber-official 1.11.0 bundles).
//
// Usage:
//   node index_steps.mjs [--root DIR] [--settings settings.json]
//        [--glue GLOB]... [--features GLOB]... [--parameter-types JSON]
//        [--complete TEXT]... [--keyword Given] [--fail-on-undefined] [--fail-on-errors]
//
//   --root DIR           base for relative globs and for reported paths (default: cwd)
//   --settings FILE      a VS Code settings.json; its "cucumber.glue",
//                        "cucumber.features", "cucumber.parameterTypes" are used
//                        (command-line --glue/--features/--parameter-types win)
//   --glue GLOB          glue glob (repeatable); default = the extension's default list
//   --features GLOB      feature glob (repeatable); default = the extension's default list
//   --parameter-types J  JSON list of {"name": ..., "regexp": ...}
//   --complete TEXT      a partial step text to complete (repeatable)
//   --keyword KW         step keyword used for the completion probes (default Given)
//   --fail-on-undefined  exit 1 when a feature step matches no step definition
//   --fail-on-errors     exit 1 when a step definition / parameter type was rejected
//
// Exit status: 0 ok, 1 a --fail-on-* condition, 2 usage/runtime error,
// 3 the service could not build its index at all (the VS Code extension would
// index nothing): prints {"fatal": ...}.
//
// Prints one JSON document on stdout.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

import {
  buildSuggestions,
  ExpressionBuilder,
  getGherkinCompletionItems,
  getGherkinDiagnostics,
  jsSearchIndex,
  parseGherkinDocument,
} from '@cucumber/language-service'
import { WasmParserAdapter } from '@cucumber/language-service/wasm'
import { walkGherkinDocument } from '@cucumber/gherkin-utils'
import fg from 'fast-glob'

const require = createRequire(import.meta.url)
const serviceRequire = createRequire(require.resolve('@cucumber/language-service'))
// service/constants.js (not re-exported by the package's entry point)
const diagnosticCodeUndefinedStep = 'cucumber.undefined-step'

// Same defaults as @cucumber/language-server 1.7.0 (CucumberLanguageServer.js)
// and the "cucumber.features"/"cucumber.glue" defaults of the VS Code extension.
const DEFAULT_FEATURES = ['src/test/**/*.feature', 'features/**/*.feature', 'tests/**/*.feature', '*specs*/**/*.feature']
const DEFAULT_GLUE = [
  'src/test/**/*.java',
  'features/**/*.ts',
  'features/**/*.tsx',
  'features/**/*.js',
  'features/**/*.jsx',
  'features/**/*.php',
  'features/**/*.py',
  'tests/**/*.py',
  'tests/**/*.rs',
  'features/**/*.rs',
  'features/**/*.rb',
  '*specs*/**/*.cs',
  'features/**/*_test.go',
]
// Same as @cucumber/language-server 1.7.0 fs.js glueExtByLanguageName
const GLUE_EXT = {
  javascript: ['.js', '.cjs', '.mjs', '.jsx'],
  tsx: ['.ts', '.cts', '.mts', '.tsx'],
  java: ['.java'],
  c_sharp: ['.cs'],
  php: ['.php'],
  ruby: ['.rb'],
  python: ['.py'],
  rust: ['.rs'],
  go: ['.go'],
}
const LANGUAGE_BY_EXT = Object.fromEntries(
  Object.entries(GLUE_EXT).flatMap(([lang, exts]) => exts.map((e) => [e, lang]))
)

function parseArgs(argv) {
  const o = { glue: [], features: [], complete: [], keyword: 'Given', parameterTypes: undefined }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`missing value for ${a}`)
      return argv[++i]
    }
    switch (a) {
      case '--root': o.root = next(); break
      case '--settings': o.settings = next(); break
      case '--glue': o.glue.push(next()); break
      case '--features': o.features.push(next()); break
      case '--parameter-types': o.parameterTypes = JSON.parse(next()); break
      case '--complete': o.complete.push(next()); break
      case '--keyword': o.keyword = next(); break
      case '--fail-on-undefined': o.failOnUndefined = true; break
      case '--fail-on-errors': o.failOnErrors = true; break
      case '-h':
      case '--help':
        {
          const lines = fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1)
          process.stdout.write(lines.slice(0, lines.findIndex((l) => !l.startsWith('//'))).join('\n') + '\n')
        }
        process.exit(0)
        break
      default:
        throw new Error(`unknown argument ${a}`)
    }
  }
  return o
}

// VS Code settings.json is JSONC: drop // and /* */ comments and trailing commas.
function readJsonc(file) {
  const text = fs.readFileSync(file, 'utf8')
  let out = ''
  for (let i = 0, inStr = false; i < text.length; i++) {
    const c = text[i]
    if (inStr) {
      out += c
      if (c === '\\') out += text[++i]
      else if (c === '"') inStr = false
    } else if (c === '"') {
      inStr = true
      out += c
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++
      out += '\n'
    } else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2) + 1
    } else out += c
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'))
}

// Like @cucumber/language-server's NodeFiles.findUris (fast-glob, cwd = root,
// case-insensitive, files only), but the relative results are resolved against
// root (NodeFiles resolves them against process.cwd()).
async function findFiles(root, globs) {
  const all = await Promise.all(globs.map((g) => fg(g, { cwd: root, caseSensitiveMatch: false, onlyFiles: true })))
  return [...new Set(all.flat().map((p) => path.resolve(root, p)))].sort()
}

function pkgVersion(name, from = require) {
  try {
    let dir = path.dirname(from.resolve(name))
    for (;;) {
      const pj = path.join(dir, 'package.json')
      if (fs.existsSync(pj)) {
        const p = JSON.parse(fs.readFileSync(pj, 'utf8'))
        if (p.name === name && p.version) return p.version
      }
      const up = path.dirname(dir)
      if (up === dir) return undefined
      dir = up
    }
  } catch {
    return undefined
  }
}

// Cucumber Expression errors are multi-line (message, expression, caret, hint);
// keep every non-empty line, joined with " | ".
function errorText(err) {
  return String(err && err.message ? err.message : err)
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim())
    .join(' | ')
}

async function main() {
  const args = parseArgs(process.argv.slice(2))
  const root = path.resolve(args.root || process.cwd())
  let settings = {}
  if (args.settings) settings = readJsonc(args.settings)
  const nonEmpty = (a) => (Array.isArray(a) && a.length > 0 ? a : undefined)
  const glue = nonEmpty(args.glue) || nonEmpty(settings['cucumber.glue']) || DEFAULT_GLUE
  const features = nonEmpty(args.features) || nonEmpty(settings['cucumber.features']) || DEFAULT_FEATURES
  const parameterTypes = args.parameterTypes || settings['cucumber.parameterTypes'] || []
  const rel = (file) => path.relative(root, file) || file

  // The WASM parsers shipped in @cucumber/language-service/dist (the VS Code
  // extension copies the same *.wasm files next to its bundle and passes that dir).
  const wasmDir = path.join(path.dirname(require.resolve('@cucumber/language-service')), '..', '..')
  const adapter = new WasmParserAdapter(wasmDir)
  await adapter.init()

  const glueFiles = (await findFiles(root, glue)).filter((f) => LANGUAGE_BY_EXT[path.extname(f)])
  const glueSources = glueFiles.map((f) => ({
    languageName: LANGUAGE_BY_EXT[path.extname(f)],
    uri: pathToFileURL(f).href,
    content: fs.readFileSync(f, 'utf8'),
  }))
  const featureFiles = (await findFiles(root, features)).filter((f) => f.endsWith('.feature'))
  const gherkinSources = featureFiles.map((f) => ({ file: f, content: fs.readFileSync(f, 'utf8') }))

  // NB: ExpressionBuilder.build() throws (rather than collecting an error) when a
  // parameter type name contains one of [ ] ( ) $ . | ? * + -- e.g. behave's
  // "{names:Name+}" -- from the settings or from a glue file. The language server
  // then fails the whole reindex ("Failed to reindex"). Surface it as exit 3.
  let result
  try {
    result = new ExpressionBuilder(adapter).build(glueSources, parameterTypes)
  } catch (err) {
    process.stdout.write(JSON.stringify({ fatal: errorText(err), glueFiles: glueFiles.map(rel) }, null, 2) + '\n')
    process.exit(3)
  }
  const expressions = result.expressionLinks.map((l) => l.expression)
  const where = (link) => ({
    file: rel(fileURLToPath(link.targetUri)),
    line: link.targetSelectionRange.start.line + 1,
  })

  const stepDefinitions = result.expressionLinks.map(({ expression, locationLink }) => ({
    expression: expression.source,
    kind: expression.constructor.name, // CucumberExpression | RegularExpression
    ...where(locationLink),
  }))
  const parameterTypesFound = result.parameterTypeLinks.map(({ parameterType, locationLink }) => ({
    name: parameterType.name,
    regexps: parameterType.regexpStrings,
    ...where(locationLink),
  }))
  const errors = result.errors.map(errorText)

  // All step texts of all feature files (what the server feeds to buildSuggestions).
  const stepTexts = []
  let stepCount = 0
  const undefinedSteps = []
  const parseErrors = []
  for (const { file, content } of gherkinSources) {
    const { gherkinDocument } = parseGherkinDocument(content)
    if (gherkinDocument) {
      walkGherkinDocument(gherkinDocument, undefined, {
        step(step) {
          stepTexts.push(step.text)
          stepCount++
        },
      })
    }
    const lines = content.split(/\r?\n/)
    for (const d of getGherkinDiagnostics(content, expressions)) {
      if (d.code === diagnosticCodeUndefinedStep) {
        const line = d.range.start.line
        undefinedSteps.push({
          file: rel(file),
          line: line + 1,
          keyword: lines[line].slice(0, d.range.start.character).trim(),
          text: d.data.stepText,
        })
      } else {
        parseErrors.push({ file: rel(file), line: d.range.start.line + 1, message: d.message })
      }
    }
  }

  const suggestions = buildSuggestions(result.registry, stepTexts, expressions)
  const index = jsSearchIndex(suggestions)
  const completions = {}
  for (const prefix of args.complete) {
    const line = `    ${args.keyword} ${prefix}`
    const doc = `Feature: completion probe\n  Scenario: completion probe\n${line}\n`
    const items = getGherkinCompletionItems(doc, { line: 2, character: line.length }, index)
    completions[prefix] = items.map((it) => ({
      label: it.label,
      insertText: it.textEdit.newText,
      ...(it.labelDetails && it.labelDetails.detail ? { detail: it.labelDetails.detail.trim() } : {}),
    }))
  }

  const out = {
    versions: {
      '@cucumber/language-service': pkgVersion('@cucumber/language-service'),
      // as resolved by @cucumber/language-service itself
      '@cucumber/cucumber-expressions': pkgVersion('@cucumber/cucumber-expressions', serviceRequire),
      '@cucumber/gherkin': pkgVersion('@cucumber/gherkin', serviceRequire),
      'web-tree-sitter': pkgVersion('web-tree-sitter', serviceRequire),
      node: process.versions.node,
    },
    root,
    settings: { glue, features, parameterTypes },
    glueFiles: glueFiles.map(rel),
    featureFiles: featureFiles.map(rel),
    parameterTypesInGlue: parameterTypesFound,
    stepDefinitions,
    errors,
    stepCount,
    undefinedSteps,
    gherkinErrors: parseErrors,
    completions,
  }
  process.stdout.write(JSON.stringify(out, null, 2) + '\n')
  if (args.failOnUndefined && undefinedSteps.length > 0) process.exitCode = 1
  if (args.failOnErrors && errors.length > 0) process.exitCode = 1
}

main().catch((err) => {
  process.stderr.write(`index_steps: ${err.stack || err}\n`)
  process.exit(2)
})
