#!/usr/bin/env python3
"""The shape of app/src, checked by the test command (README, "Layout"):

1. no module cycles: a module reaches others through `crate::` and `super::` paths, and no chain
   of those leads back to where it started (a module's own ancestors, which re-export it, aside);
2. nothing under server/ reaches api/ or pages/ (doors sit on top of services, never below), and
   domain/ reaches nothing outside itself (pure types and rules);
3. no file over 500 lines, its tests aside.

Prints what is wrong and exits 1, or prints nothing and exits 0."""
import glob
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'app', 'src')
MAX_LINES = 500


def module_of(path):
    parts = os.path.relpath(path, ROOT)[:-3].split(os.sep)
    if parts[-1] in ('mod', 'lib'):
        parts = parts[:-1]
    return '::'.join(parts)


def without_tests(text):
    return re.sub(r'(?s)#\[cfg\(test\)\]\s*mod tests\b.*', '', text)


files = sorted(glob.glob(os.path.join(ROOT, '**', '*.rs'), recursive=True))
modules = {module_of(f): f for f in files}
edges = {m: set() for m in modules}
problems = []

for module, path in modules.items():
    text = without_tests(open(path, encoding='utf-8').read())
    lines = text.count('\n')
    if lines > MAX_LINES:
        problems.append(f'{os.path.relpath(path, ROOT)}: {lines} lines without its tests (at most {MAX_LINES})')
    code = re.sub(r'//[^\n]*', '', text)
    here = module.split('::') if module else []
    for start, rest in re.findall(r'\b(crate|super)((?:::\w+)+)', code):
        base = [] if start == 'crate' else here[:-1]
        segments = rest.strip(':').split('::')
        while segments and segments[0] == 'super':
            base, segments = base[:-1], segments[1:]
        target = base + segments
        for k in range(len(target), 0, -1):
            candidate = '::'.join(target[:k])
            if candidate in modules:
                if candidate != module and not module.startswith(candidate + '::'):
                    edges[module].add(candidate)
                break

for module, targets in edges.items():
    if module == 'server' or module.startswith('server::'):
        for target in sorted(targets):
            if target.split('::')[0] in ('api', 'pages'):
                problems.append(f'{module} reaches {target}: services and repositories sit below the doors and pages')
    if module == 'domain' or module.startswith('domain::'):
        for target in sorted(targets):
            if target.split('::')[0] != 'domain':
                problems.append(f'{module} reaches {target}: the domain depends on nothing else in the app')

# Tarjan's strongly connected components: each with more than one module is a cycle.
index, low, stack, on_stack, counter = {}, {}, [], set(), [0]
sys.setrecursionlimit(10000)


def visit(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on_stack.add(v)
    for w in edges[v]:
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on_stack:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        component = []
        while True:
            w = stack.pop()
            on_stack.discard(w)
            component.append(w)
            if w == v:
                break
        if len(component) > 1:
            inside = '; '.join(f'{a} -> {", ".join(sorted(e for e in edges[a] if e in component))}' for a in sorted(component))
            problems.append(f'a module cycle: {inside}')


for v in edges:
    if v not in index:
        visit(v)

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
