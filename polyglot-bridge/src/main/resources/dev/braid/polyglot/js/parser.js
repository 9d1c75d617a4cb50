// What Braid asks of acorn (evaluated after acorn's own code, which defines the global
// `acorn`), in the parser's context of its own (see JsParser): the plan for running a classic
// script that uses await at its top level, and whether a .js file is an ES module.
//
// A plan is a flat array of edits [offset, removed, text, ...] of the user's text, sorted by
// offset (edits at one offset in the order they are to be applied). The edits never add a
// line break before the end of the user's text, so every line keeps its number; most of them
// replace a keyword with text of the same length, so most columns stay too (see AwaitRewrite,
// which applies a plan and maps positions back).
(() => {
  'use strict';
  const SCRIPT = { ecmaVersion: 'latest', sourceType: 'script', allowAwaitOutsideFunction: true, allowHashBang: true };
  const MODULE = { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true };
  // The parameter of the async arrow function that holds the value of the evaluation.
  const VALUE = '__braid$value';

  const isNode = (v) => v !== null && typeof v === 'object' && typeof v.type === 'string';

  // Code that runs in a scope of its own, later: a function (its parameters and body) or a
  // class static block. A class field initializer (a PropertyDefinition's value) is one too.
  const isScope = (n) => n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression'
      || n.type === 'ArrowFunctionExpression' || n.type === 'StaticBlock';

  // Calls visit(node, parent) for node and every node below it, except inside nested scopes
  // when intoScopes is false.
  function walk(node, parent, visit, intoScopes) {
    visit(node, parent);
    for (const key of Object.keys(node)) {
      if (!intoScopes && key === 'value' && node.type === 'PropertyDefinition') {
        continue;
      }
      const v = node[key];
      if (Array.isArray(v)) {
        for (const c of v) {
          if (isNode(c) && (intoScopes || !isScope(c))) {
            walk(c, node, visit, intoScopes);
          }
        }
      } else if (isNode(v) && (intoScopes || !isScope(v))) {
        walk(v, node, visit, intoScopes);
      }
    }
  }

  // The names a binding (an identifier or a destructuring pattern) declares.
  function boundNames(target, out) {
    switch (target.type) {
      case 'Identifier': out.push(target.name); break;
      case 'ObjectPattern':
        for (const p of target.properties) {
          boundNames(p.type === 'RestElement' ? p.argument : p.value, out);
        }
        break;
      case 'ArrayPattern':
        for (const e of target.elements) {
          if (e !== null) {
            boundNames(e, out);
          }
        }
        break;
      case 'RestElement': boundNames(target.argument, out); break;
      case 'AssignmentPattern': boundNames(target.left, out); break;
      default: break;
    }
    return out;
  }

  function planScript(code) {
    let program;
    try {
      program = acorn.parse(code, SCRIPT);
    } catch (e) {
      return null; // Graal.js reports the error against the user's text
    }
    let awaits = false;
    const varDeclarations = []; // [declaration, parent]: var is function-scoped, so blocks do not hide it
    walk(program, null, (node, parent) => {
      if (node.type === 'AwaitExpression' || (node.type === 'ForOfStatement' && node.await)) {
        awaits = true;
      } else if (node.type === 'VariableDeclaration' && node.kind === 'var') {
        varDeclarations.push([node, parent]);
      }
    }, false);
    if (!awaits) {
      return [];
    }

    const edits = [];
    const edit = (at, removed, text) => { edits.push([at, removed, text]); };
    const lexicalNames = new Set();
    const varNames = new Set();
    const functionNames = [];

    // A declaration in a statement list becomes an expression statement that assigns its
    // initializers: the keyword gives way to ';0,' (padded to its length), so that
    // `const {a} = o, b = 1` reads `;0,   {a} = o, b = 1;`. Elsewhere (the body of an if or a
    // loop, a label) the leading ';' would end that statement, and is left out.
    const inStatementList = (parent) => parent.type === 'Program' || parent.type === 'BlockStatement'
        || parent.type === 'SwitchCase';
    const toAssignments = (node, parent) => {
      const keyword = node.kind.length;
      edit(node.start, keyword, (inStatementList(parent) ? ';0,' : '0,').padEnd(keyword));
      if (code.charCodeAt(node.end - 1) !== 0x3b /* ; */) {
        edit(node.end, 0, ';');
      }
    };

    for (const s of program.body) {
      if (s.type === 'VariableDeclaration' && (s.kind === 'let' || s.kind === 'const')) {
        for (const d of s.declarations) {
          boundNames(d.id, []).forEach((n) => lexicalNames.add(n));
        }
        toAssignments(s, program);
      } else if (s.type === 'FunctionDeclaration') {
        functionNames.push(s.id.name);
      } else if (s.type === 'ClassDeclaration') {
        lexicalNames.add(s.id.name);
        edit(s.start, 0, ';' + s.id.name + ' = ');
        edit(s.end, 0, ';');
      }
    }
    for (const [node, parent] of varDeclarations) {
      for (const d of node.declarations) {
        boundNames(d.id, []).forEach((n) => varNames.add(n));
      }
      if (parent.type === 'ForStatement' && parent.init === node) {
        edit(node.start, 3, '0, '); // for (0,  i = 0; ...)
      } else if ((parent.type === 'ForInStatement' || parent.type === 'ForOfStatement') && parent.left === node) {
        if (node.declarations[0].init === null) {
          edit(node.start, 3, '   '); // for (    x of xs)
        }
      } else {
        toAssignments(node, parent);
      }
    }
    functionNames.forEach((n) => varNames.add(n));
    lexicalNames.forEach((n) => varNames.delete(n));

    // The value: that of the last expression statement, if only declarations follow it.
    let valueAt = -1;
    for (let i = program.body.length - 1; i >= 0; i--) {
      const t = program.body[i].type;
      if (t === 'ExpressionStatement') {
        valueAt = i;
        break;
      }
      if (t !== 'VariableDeclaration' && t !== 'FunctionDeclaration' && t !== 'ClassDeclaration' && t !== 'EmptyStatement') {
        break;
      }
    }
    let prologue = 0; // directives ('use strict') must stay first in the function body
    while (prologue < program.body.length && typeof program.body[prologue].directive === 'string') {
      prologue++;
    }

    // Function declarations are hoisted in the async function: copy them to the global
    // object before any statement runs (`this` of an arrow function at the top level of a
    // script is the global object).
    let atStart = functionNames.map((n) => `this.${n} = ${n};`).join(' ');
    if (valueAt >= 0 && valueAt < prologue) { // the value is a directive: it must stay one
      const raw = code.slice(program.body[valueAt].expression.start, program.body[valueAt].expression.end);
      if (!/[\n\r\u2028\u2029]/.test(raw)) { // (a line continuation inside would move lines)
        atStart += `${VALUE} = ${raw};`;
      }
      valueAt = -1;
    }
    let head = '';
    if (lexicalNames.size > 0) {
      head += `let ${[...lexicalNames].join(', ')}; `;
    }
    if (varNames.size > 0) {
      head += `var ${[...varNames].join(', ')}; `;
    }
    head += `(async (${VALUE}) => {`;
    if (prologue === 0) {
      head += atStart;
    } else if (atStart !== '') {
      edit(program.body[prologue - 1].end, 0, ';' + atStart);
    }
    if (valueAt >= 0) {
      // `__braid$value = ` goes before the expression, with no parentheses: Graal.js would
      // report an error inside parentheses at the opening one. The last expression of a
      // sequence gets it (`a, V = b` assigns b). Otherwise it starts a statement right after
      // the previous one, so that the value's own line keeps its columns when the previous
      // statement ends on an earlier line.
      const s = program.body[valueAt];
      const last = s.expression.type === 'SequenceExpression' ? s.expression.expressions.at(-1) : null;
      if (last !== null) {
        edit(last.start, 0, `${VALUE} = `);
      } else {
        const before = valueAt > 0 ? program.body[valueAt - 1].end : code.startsWith('#!') ? s.start : 0;
        edit(before, 0, `;${VALUE} = `);
      }
    }
    edit(code.length, 0, `\n;return ${VALUE};})()`);

    if (code.startsWith('#!')) {
      edits.unshift([0, 2, '//']); // a hashbang is a comment only at the very start of a source
    }
    edits.unshift([0, 0, head]);
    // Stable: edits at one offset keep the order they were made in.
    edits.sort((a, b) => a[0] - b[0]);
    return edits.flat();
  }

  // Whether code is an ES module: it has a top-level import or export statement, or uses
  // import.meta. A file that does not parse as a module is one only if the script parser's
  // complaint is about exactly those (so that Graal.js's module parser reports its real
  // error); a dynamic import() is allowed in scripts and does not count.
  function isModule(code) {
    let program;
    try {
      program = acorn.parse(code, MODULE);
    } catch (e) {
      try {
        acorn.parse(code, SCRIPT);
        return false;
      } catch (e2) {
        return /'import' and 'export' may appear only|'import\.meta' outside a module/.test(String(e2 && e2.message));
      }
    }
    for (const s of program.body) {
      if (s.type === 'ImportDeclaration' || s.type === 'ExportNamedDeclaration' || s.type === 'ExportDefaultDeclaration'
          || s.type === 'ExportAllDeclaration') {
        return true;
      }
    }
    let meta = false;
    walk(program, null, (n) => {
      if (n.type === 'MetaProperty' && n.meta.name === 'import') {
        meta = true;
      }
    }, true);
    return meta;
  }

  return { planScript, isModule };
})()
