// The bench procedure (bench/procedure/bench_nam_buoc.bpmn, unchanged) on bpmn-engine: per user
// step in memory, and with a state round trip (getState, JSON text, recover, resume) around
// every step. Prints one JSON object per figure, like the Python benchmarks.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { EventEmitter } = require('node:events');
const { Engine } = require('bpmn-engine');

const SOURCE = fs.readFileSync(
  path.join(__dirname, '..', '..', 'procedure', 'bench_nam_buoc.bpmn'), 'utf8');
const RUNS = Number(process.argv[2] || 200);
const USER_STEPS = 5;

// The diagram's script and conditions are Python (SpiffWorkflow's language); these two
// adapters evaluate the few forms it uses over the process variables.
function pythonToJs(text) {
  return text.replace(/\band\b/g, '&&').replace(/\bor\b/g, '||').replace(/\bnot\b/g, '!')
    .replace(/\bTrue\b/g, 'true').replace(/\bFalse\b/g, 'false').replace(/\bNone\b/g, 'null');
}

function evaluate(expression, variables) {
  const names = Object.keys(variables);
  // eslint-disable-next-line no-new-func
  return new Function(...names, `return (${pythonToJs(expression)});`)(
    ...names.map((n) => variables[n]));
}

const scripts = {
  register() {},
  getScript(_language, activity) {
    const condition = activity.behaviour.conditionExpression;
    if (condition) {
      return {
        execute(scope, callback) {
          const env = scope.environment;
          callback(null, evaluate(condition.body, { ...env.variables, ...env.output, ...answer }));
        },
      };
    }
    const body = activity.behaviour.script;
    return {
      execute(scope, callback) {
        const output = scope.environment.output;
        for (const line of body.split('\n').filter((l) => l.trim())) {
          const [name, expr] = line.split('=').map((s) => s.trim());
          output[name] = evaluate(expr, { ...scope.environment.variables, ...output });
        }
        callback();
      },
    };
  },
};

// The answer of the step just signalled: the gateway after it reads it (bpmn-engine keeps a
// signal's payload on the task's output, not among the process variables).
const answer = {};

const expressions = {
  resolveExpression(expression, context) {
    if (typeof expression !== 'string') return expression;
    const env = context.environment;
    return evaluate(expression, { ...env.variables, ...env.output, ...answer });
  },
};

function options(name) {
  return { name, source: SOURCE, scripts, expressions };
}

function waiting(engine) {
  const found = engine.execution.getPostponed().filter((a) => a.type === 'bpmn:UserTask');
  return found[0];
}

async function start() {
  const engine = new Engine(options('bench'));
  const listener = new EventEmitter();
  await engine.execute({ listener, variables: { ten_giay_to: 'x', so_ban: 3, channel: 'direct' } });
  return engine;
}

async function runMemory() {
  const engine = await start();
  let spent = 0n;
  let steps = 0;
  for (;;) {
    const task = waiting(engine);
    if (!task) break;
    const t0 = process.hrtime.bigint();
    answer.ket_qua = 'dat';
    task.signal({ ket_qua: 'dat' });
    spent += process.hrtime.bigint() - t0;
    steps += 1;
  }
  if (steps !== USER_STEPS) throw new Error(`expected ${USER_STEPS} user steps, ran ${steps}`);
  return Number(spent) / 1e6;
}

async function runRoundTrip() {
  let engine = await start();
  let spent = 0n;
  let steps = 0;
  for (;;) {
    const t0 = process.hrtime.bigint();
    const text = JSON.stringify(await engine.getState());
    engine.stop();
    engine = new Engine(options('bench')).recover(JSON.parse(text));
    await engine.resume({ listener: new EventEmitter() });
    const task = waiting(engine);
    if (!task) {
      spent += process.hrtime.bigint() - t0;
      break;
    }
    answer.ket_qua = 'dat';
    task.signal({ ket_qua: 'dat' });
    spent += process.hrtime.bigint() - t0;
    steps += 1;
  }
  if (steps !== USER_STEPS) throw new Error(`expected ${USER_STEPS} user steps, ran ${steps}`);
  return Number(spent) / 1e6;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main() {
  for (let i = 0; i < 20; i += 1) { await runMemory(); await runRoundTrip(); }
  const memory = [];
  const roundTrip = [];
  for (let i = 0; i < RUNS; i += 1) {
    memory.push(await runMemory());
    roundTrip.push(await runRoundTrip());
  }
  const floor = median(memory) / USER_STEPS;
  const rt = median(roundTrip) / USER_STEPS;
  const version = JSON.parse(fs.readFileSync(
    path.join(__dirname, 'node_modules', 'bpmn-engine', 'package.json'), 'utf8')).version;
  console.log(JSON.stringify({ figure: 'peer_bpmn_engine_memory_ms', value: +floor.toFixed(3),
    engine: `bpmn-engine ${version}`, node: process.version }));
  console.log(JSON.stringify({ figure: 'peer_bpmn_engine_roundtrip_ms', value: +rt.toFixed(3),
    ratio_to_memory: +(rt / floor).toFixed(2),
    note: 'getState, JSON text, recover and resume around every step' }));
}

main().catch((err) => { console.error(err); process.exit(1); });
