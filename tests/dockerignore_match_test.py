from __future__ import annotations

import os
from pathlib import Path

import pytest
from dockhooks._dockerignore import DockerignorePattern
from dockhooks._dockerignore import IgnoreFile
from dockhooks._dockerignore import Rule
from dockhooks._dockerignore import _read_all
from dockhooks._dockerignore import ignore_file_for
from dockhooks._text import InputError
from dockhooks._text import read_text
from pathspec.pathspec import PathSpec

# (lines of the .dockerignore, path relative to the context, excluded by Docker?)
# Sources: shared/notes/parsing.md section 4; Docker's behaviour as documented in
# github.com/moby/patternmatcher (ignorefile/ignorefile.go, patternmatcher.go); the tables of
# its patternmatcher_test.go (TestMatches `tests` and `multiPatternTests`, the named tests, and
# the no-error rows of `matchTests`). When written, every row was also run through the Go code
# (ReadAll's rules + patternmatcher.New + MatchesOrParentMatches) and agreed; that harness is
# not part of this suite.
CASES: list[tuple[list[str], str, bool]] = [
    # --- shared/notes/parsing.md section 4: the Docker vs gitignore table --------------------
    (['node_modules'], 'app/node_modules/x.js', False),  # anchored at the context root
    (['*.pyc'], 'pkg/a.pyc', False),  # '*' does not cross '/', and the root anchors it
    (['.env*'], 'cfg/.env', False),  # same for a dotfile prefix
    (['build/'], 'build', True),  # no directory-only patterns: 'build/' is 'build'
    (['docs/*'], 'docs/sub/b.md', True),  # parent 'docs/sub' matches 'docs/*'
    (['*', '!src'], 'src/a.py', False),  # '!' re-includes, gitignore-spec would not
    (['[!a]b'], 'xb', False),  # '[!a]' is the class "! or a" (Go regexp), not a negation
    (['[!a]b'], 'ab', True),  # ... so 'ab' matches
    (['./secret'], 'secret', True),  # filepath.Clean: './a' -> 'a'
    (['a/../b'], 'b', True),  # filepath.Clean: 'a/../b' -> 'b'
    ([' #notcomment'], '#notcomment', True),  # '#' is a comment only in column 1
    # --- reading: ignorefile.ReadAll + patternmatcher.New normalisation -----------------------
    (['\ufeffsecret'], 'secret', True),  # UTF-8 BOM stripped on line 1
    (['a', '\ufeffsecret'], 'secret', False),  # ... but only on line 1
    (['#secret'], '#secret', False),  # column-1 '#': a comment
    (['# secret', 'other'], 'secret', False),  # comment text is not a pattern
    (['  secret\t '], 'secret', True),  # strings.TrimSpace on both ends
    (['secret\u00a0'], 'secret', True),  # TrimSpace trims Unicode spaces (NBSP) too
    (['secret\r'], 'secret', True),  # CRLF line ending
    (['a\\ b'], 'a b', True),  # an escaped space inside a pattern is a space
    (['*', '!  src'], 'src/a', False),  # '!' then trimmed again
    (['*', '  ! src  '], 'src/a', False),  # leading spaces before '!'
    (['foo/'], 'foo', True),  # Clean: 'foo/' -> 'foo'
    (['foo/'], 'foo/bar', True),  # ... which matches as a parent
    (['a//b'], 'a/b', True),  # Clean: 'a//b' -> 'a/b'
    (['a/./b/'], 'a/b/c', True),  # Clean: 'a/./b/' -> 'a/b'
    (['/secret'], 'secret', True),  # leading '/' removed
    (['//secret'], 'secret', True),  # Clean first: '//secret' -> '/secret' -> 'secret'
    (['*', '!/src'], 'src/a', False),  # leading '/' removed after '!'
    (['a /'], 'a', True),  # ReadAll gives 'a ' (Clean), New trims it again
    (['.'], 'a', False),  # the pattern '.' is ignored (historical)
    (['.'], 'a/b', False),  # ... for nested paths too
    (['', 'secret', '', '   '], 'secret', True),  # empty and blank lines are skipped
    (['../secret'], 'secret', False),  # '..' patterns match nothing inside the context
    (['/'], 'a', False),  # '/' stays '/' and matches nothing
    # --- matching: anchoring and parent directories ------------------------------------------
    (['node_modules'], 'node_modules', True),  # the directory itself
    (['node_modules'], 'node_modules/x/y.js', True),  # everything under it, via the parent
    (['**/node_modules'], 'app/node_modules/x.js', True),  # '**/' for any depth
    (['**/node_modules'], 'node_modules/x.js', True),  # '**/' matches zero directories
    (['docs'], 'docs/a/b.md', True),  # parent matching
    (['docs'], 'docsx/a.md', False),  # a parent is a whole path segment
    (['docs/*'], 'docs', False),  # 'docs/*' needs something inside docs
    (['*'], 'd/b', True),  # '*' matches the parent 'd'
    (['*.md'], 'docs/a.md', False),  # '*' is [^/]*
    (['*/*.md'], 'docs/a.md', True),  # one level down
    (['*/*.md'], 'a/b/c.md', False),  # exactly one level
    (['*/tmp/*'], 'tmp/x', False),  # the build-check docs' CopyIgnoredFile example
    (['*/tmp/*'], 'a/tmp/x', True),  # ... matches one level down
    (['?.md'], 'a.md', True),  # '?' is one character
    (['?.md'], 'ab.md', False),  # ... exactly one
    (['a?b'], 'a/b', False),  # '?' is [^/]
    (['**/*.pyc'], 'a.pyc', True),  # '**/' matches zero directories
    (['**/*.pyc'], 'x/y/a.pyc', True),  # ... or several
    (['a/**/b'], 'a/b', True),  # '**' in the middle: zero directories
    (['a/**/b'], 'a/x/y/b', True),  # ... or several
    (['a/**/b'], 'a/xb', False),  # '/**/' keeps the separators
    (['a**b'], 'ab', True),  # '**' between letters is still '(.*/)?'...
    (['a**b'], 'ax/b', True),  # ... a run of whole segments ending in '/'
    (['a**b'], 'axb', False),  # ... so not 'x'
    (['foo/**'], 'foo/x', True),  # trailing '**': prefix test
    (['foo/**'], 'foo', False),  # ... 'foo/' is the prefix, 'foo' lacks it
    (['foo**'], 'foobar', True),  # trailing '**' after a literal: prefix 'foo'
    (['foo**'], 'foo', True),  # ... 'foo' has the prefix 'foo'
    (['**foo'], 'barfoo', True),  # leading '**' + literals: a suffix test
    (['**foo'], 'x/barfoo', True),  # ... at any depth
    (['**foo'], 'foo/x', True),  # ... and parents count
    (['**/foo'], 'afoo', False),  # '**/foo': suffix '/foo', or exactly 'foo'
    (['**/foo'], 'foo', True),  # ... 'foo' itself
    (['**'], 'anything/at/all', True),  # '**' matches everything
    (['[^a]b'], 'xb', True),  # '^' negates a class
    (['[^a]b'], 'ab', False),  # ... so 'ab' does not match
    (['[!a]b'], '!b', True),  # '!' inside a class is a character
    (['[a-c]x'], 'bx', True),  # ranges
    (['a\\*b'], 'a*b', True),  # '\' escapes the next character
    (['a\\*b'], 'axb', False),  # ... so '*' is literal
    (['\\!important'], '!important', True),  # an escaped '!' is not an exception
    (['\\#x'], '#x', True),  # an escaped '#' is not a comment
    (['a\\?'], 'a?', True),  # an escaped '?'
    # --- last match wins, '!' exceptions ----------------------------------------------------
    (['*.md', '!README.md'], 'README.md', False),  # exception after the rule
    (['!README.md', '*.md'], 'README.md', True),  # exception before the rule: overridden
    (['*.md', '!README.md', 'README.md'], 'README.md', True),  # last line wins
    (['*', '!src'], 'src/a/b.py', False),  # the parent rule applies to '!' too
    (['*', '!src', 'src/tmp'], 'src/tmp/x', True),  # ... and can be overridden again
    (['docs', '!docs/keep'], 'docs/keep/a', False),  # re-include a subtree
    (['docs', '!docs/keep'], 'docs/other', True),  # ... the rest stays excluded
    (['!keep'], 'keep', False),  # a lone exception excludes nothing
    # --- patternmatcher quirks ----------------------------------------------------------------
    # shouldEscape's bitmap drops bytes >= 64, so '|' and '{' '}' reach Go's regexp raw.
    (['*.{js,ts}'], 'a.js', False),  # no brace expansion: '{js,ts}' is literal text...
    (['*.{js,ts}'], 'a.{js,ts}', True),  # ... for Go's regexp too
    (['*.js|*.ts'], 'x.jsx', True),  # '|' alternation: '^[^/]*\.js' is a prefix test
    (['*.js|*.ts'], 'd/x.ts', True),  # ... and '[^/]*\.ts$' may start anywhere
    (['a|b'], 'a', False),  # no regexp character: an exact match of 'a|b'
    (['a|b'], 'a|b', True),  # ... the literal text
    (['a{2}*'], 'aab', True),  # '{2}' is a Go repetition of 'a'
    (['a{2}*'], 'a{2}b', False),  # ... not literal text
    (['[*]'], ']', True),  # '[*]' becomes '[[^/]*]': class {[,^,/} repeated, then ']'
    (['\\101'], 'A', True),  # '\1' '0' '1' reach Go's regexp as the octal escape \101
    (['[[:alpha:]]x'], 'bx', True),  # POSIX classes come from Go's regexp
    # --- moby/patternmatcher patternmatcher_test.go: named tests ----------------------------
    (['*'], 'fileutils.go', True),  # TestWildcardMatches
    (['*.go'], 'fileutils.go', True),  # TestPatternMatches
    (['!fileutils.go', '*.go'], 'fileutils.go', True),  # TestExclusionPatternMatchesPatternBefore
    (['docs', '!docs/README.md'], 'docs/README.md', False),  # TestPatternMatchesFolderExclusions
    (['docs/', '!docs/README.md'], 'docs/README.md', False),  # ...FolderWithSlashExclusions
    (['docs/*', '!docs/README.md'], 'docs/README.md', False),  # ...FolderWildcardExclusions
    (['*.go', '!fileutils.go'], 'fileutils.go', False),  # TestExclusionPatternMatchesPatternAfter
    (['*.go'], '.', False),  # TestExclusionPatternMatchesWholeDirectory
    ([], 'any/path/there', False),  # TestMatchesWithNoPatterns
    # --- moby/patternmatcher patternmatcher_test.go: TestMatches `tests` (exact/inexact: True)
    (['**'], 'file', True),  # TestMatches
    (['**'], 'file/', True),  # TestMatches
    (['**/'], 'file', True),  # TestMatches ("weird one")
    (['**/'], 'file/', True),  # TestMatches
    (['**'], '/', True),  # TestMatches
    (['**/'], '/', True),  # TestMatches
    (['**'], 'dir/file', True),  # TestMatches
    (['**/'], 'dir/file', True),  # TestMatches
    (['**'], 'dir/file/', True),  # TestMatches
    (['**/'], 'dir/file/', True),  # TestMatches
    (['**/**'], 'dir/file', True),  # TestMatches
    (['**/**'], 'dir/file/', True),  # TestMatches
    (['dir/**'], 'dir/file', True),  # TestMatches
    (['dir/**'], 'dir/file/', True),  # TestMatches
    (['dir/**'], 'dir/dir2/file', True),  # TestMatches
    (['dir/**'], 'dir/dir2/file/', True),  # TestMatches
    (['**/dir'], 'dir', True),  # TestMatches
    (['**/dir'], 'dir/file', True),  # TestMatches (inexact: via the parent)
    (['**/dir2/*'], 'dir/dir2/file', True),  # TestMatches
    (['**/dir2/*'], 'dir/dir2/file/', True),  # TestMatches (inexact)
    (['**/dir2/**'], 'dir/dir2/dir3/file', True),  # TestMatches
    (['**/dir2/**'], 'dir/dir2/dir3/file/', True),  # TestMatches
    (['**file'], 'file', True),  # TestMatches
    (['**file'], 'dir/file', True),  # TestMatches
    (['**/file'], 'dir/file', True),  # TestMatches
    (['**file'], 'dir/dir/file', True),  # TestMatches
    (['**/file'], 'dir/dir/file', True),  # TestMatches
    (['**/file*'], 'dir/dir/file', True),  # TestMatches
    (['**/file*'], 'dir/dir/file.txt', True),  # TestMatches
    (['**/file*txt'], 'dir/dir/file.txt', True),  # TestMatches
    (['**/file*.txt'], 'dir/dir/file.txt', True),  # TestMatches
    (['**/file*.txt*'], 'dir/dir/file.txt', True),  # TestMatches
    (['**/**/*.txt'], 'dir/dir/file.txt', True),  # TestMatches
    (['**/**/*.txt2'], 'dir/dir/file.txt', False),  # TestMatches
    (['**/*.txt'], 'file.txt', True),  # TestMatches
    (['**/**/*.txt'], 'file.txt', True),  # TestMatches
    (['a**/*.txt'], 'a/file.txt', True),  # TestMatches
    (['a**/*.txt'], 'a/dir/file.txt', True),  # TestMatches
    (['a**/*.txt'], 'a/dir/dir/file.txt', True),  # TestMatches
    (['a/*.txt'], 'a/dir/file.txt', False),  # TestMatches
    (['a/*.txt'], 'a/file.txt', True),  # TestMatches
    (['a/*.txt**'], 'a/file.txt', True),  # TestMatches
    (['a[b-d]e'], 'ae', False),  # TestMatches
    (['a[b-d]e'], 'ace', True),  # TestMatches
    (['a[b-d]e'], 'aae', False),  # TestMatches
    (['a[^b-d]e'], 'aze', True),  # TestMatches
    (['.*'], '.foo', True),  # TestMatches
    (['.*'], 'foo', False),  # TestMatches
    (['abc.def'], 'abcdef', False),  # TestMatches
    (['abc.def'], 'abc.def', True),  # TestMatches
    (['abc.def'], 'abcZdef', False),  # TestMatches
    (['abc?def'], 'abcZdef', True),  # TestMatches
    (['abc?def'], 'abcdef', False),  # TestMatches
    (['**/foo/bar'], 'foo/bar', True),  # TestMatches
    (['**/foo/bar'], 'dir/foo/bar', True),  # TestMatches
    (['**/foo/bar'], 'dir/dir2/foo/bar', True),  # TestMatches
    (['abc/**'], 'abc', False),  # TestMatches
    (['abc/**'], 'abc/def', True),  # TestMatches
    (['abc/**'], 'abc/def/ghi', True),  # TestMatches
    (['**/.foo'], '.foo', True),  # TestMatches
    (['**/.foo'], 'bar.foo', False),  # TestMatches
    (['a(b)c/def'], 'a(b)c/def', True),  # TestMatches
    (['a(b)c/def'], 'a(b)c/xyz', False),  # TestMatches
    (['a.|)$(}+{bc'], 'a.|)$(}+{bc', True),  # TestMatches
    (['dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl'],
     'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', True),  # TestMatches
    (['dist/*.whl'], 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', True),  # TestMatches
    (['a\\\\'], 'a\\', True),  # TestMatches (non-Windows)
    (['a\\*b'], 'a*b', True),  # TestMatches (non-Windows)
    # --- patternmatcher_test.go TestMatches `multiPatternTests` -------------------------------
    (['**', '!util/docker/web'], 'util/docker/web/foo', False),  # multiPatternTests
    (['**', '!util/docker/web', 'util/docker/web/foo'], 'util/docker/web/foo', True),  # ditto
    (['**', '!dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl'],
     'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', False),  # multiPatternTests
    (['**', '!dist/*.whl'],
     'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', False),  # multiPatternTests
    # --- patternmatcher_test.go matchTests (from Go's filepath.Match tests), no-error rows ---
    (['abc'], 'abc', True),  # matchTests
    (['*'], 'abc', True),  # matchTests
    (['*c'], 'abc', True),  # matchTests
    (['a*'], 'a', True),  # matchTests
    (['a*'], 'abc', True),  # matchTests
    (['a*'], 'ab/c', True),  # matchTests (parent 'ab')
    (['a*/b'], 'abc/b', True),  # matchTests
    (['a*/b'], 'a/c/b', False),  # matchTests
    (['a*b*c*d*e*/f'], 'axbxcxdxe/f', True),  # matchTests
    (['a*b*c*d*e*/f'], 'axbxcxdxexxx/f', True),  # matchTests
    (['a*b*c*d*e*/f'], 'axbxcxdxe/xxx/f', False),  # matchTests
    (['a*b*c*d*e*/f'], 'axbxcxdxexxx/fff', False),  # matchTests
    (['a*b?c*x'], 'abxbbxdbxebxczzx', True),  # matchTests
    (['a*b?c*x'], 'abxbbxdbxebxczzy', False),  # matchTests
    (['ab[c]'], 'abc', True),  # matchTests
    (['ab[b-d]'], 'abc', True),  # matchTests
    (['ab[e-g]'], 'abc', False),  # matchTests
    (['ab[^c]'], 'abc', False),  # matchTests
    (['ab[^b-d]'], 'abc', False),  # matchTests
    (['ab[^e-g]'], 'abc', True),  # matchTests
    (['a\\*b'], 'ab', False),  # matchTests
    (['a?b'], 'a☺b', True),  # matchTests
    (['a[^a]b'], 'a☺b', True),  # matchTests
    (['a???b'], 'a☺b', False),  # matchTests
    (['a[^a][^a][^a]b'], 'a☺b', False),  # matchTests
    (['[a-ζ]*'], 'α', True),  # matchTests
    (['*[a-ζ]'], 'A', False),  # matchTests
    (['a*b'], 'a/b', False),  # matchTests
    (['[\\]a]'], ']', True),  # matchTests
    (['[\\-]'], '-', True),  # matchTests
    (['[x\\-]'], 'x', True),  # matchTests
    (['[x\\-]'], '-', True),  # matchTests
    (['[x\\-]'], 'z', False),  # matchTests
    (['[\\-x]'], 'x', True),  # matchTests
    (['[\\-x]'], '-', True),  # matchTests
    (['[\\-x]'], 'a', False),  # matchTests
    (['*x'], 'xxx', True),  # matchTests
]


@pytest.mark.parametrize(('patterns', 'path', 'excluded'), CASES)
def test_is_excluded(patterns: list[str], path: str, excluded: bool) -> None:
    assert IgnoreFile.parse('\n'.join(patterns)).is_excluded(path) is excluded


@pytest.mark.parametrize(('patterns', 'path', 'excluded'), CASES)
def test_pathspec_pattern_agrees(patterns: list[str], path: str, excluded: bool) -> None:
    """The pathspec flavour (one DockerignorePattern per ReadAll entry in a PathSpec) gives
    the same verdict and deciding rule as IgnoreFile's combined regex."""
    ignore = IgnoreFile.parse('\n'.join(patterns))
    entries = [entry for _, _, entry in _read_all('\n'.join(patterns))]
    spec = PathSpec([DockerignorePattern(entry) for entry in entries], backend='simple')
    live = [index for index, pattern in enumerate(spec.patterns) if pattern.include is not None]
    # PathSpec normalises a leading '/' away; Docker matches '/' as it is.
    if path not in ('.', '/'):
        result = spec.check_file(path)
        assert bool(result.include) is excluded
        rule = ignore.deciding_rule(path)
        if result.index is None:
            assert rule is None
        else:
            assert rule is ignore.rules[live.index(result.index)]


def test_rules() -> None:
    text = '\ufeff# comment\r\n  *.pyc \r\n\n!  /keep/../src//\n #x\n.\na /\n'
    assert IgnoreFile.parse(text).rules == [
        Rule(2, '  *.pyc ', '*.pyc', False),
        Rule(4, '!  /keep/../src//', 'src', True),
        Rule(5, ' #x', '#x', False),
        Rule(6, '.', '.', False),  # kept, but matches nothing
        Rule(7, 'a /', 'a', False),
    ]


def test_rules_skip_what_new_drops() -> None:
    # ReadAll: '/ /' -> Clean '/ ' -> ' ' (one '/' removed); New trims it to nothing.
    assert IgnoreFile.parse('/ /\nx').rules == [Rule(2, 'x', 'x', False)]


def test_read_all_matches_ignorefile_test() -> None:
    """moby/patternmatcher ignorefile/ignorefile_test.go TestReadAll."""
    content = (
        'test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n'
        '! /inverted/abs/path\n!\n! '
    )
    assert [entry for _, _, entry in _read_all(content)] == [
        'test1', 'test2', 'a/file/here', 'lastfile', '!inverted/abs/path', '!', '!',
    ]
    with pytest.raises(InputError) as exc_info:
        IgnoreFile.parse(content)
    assert exc_info.value.line == 8


def test_deciding_rule() -> None:
    ignore = IgnoreFile.parse('*\n!src\nsrc/tmp\n# end\n')
    star, src, tmp = ignore.rules
    assert ignore.deciding_rule('README.md') == star
    assert ignore.deciding_rule('src/a/b.py') == src
    assert ignore.deciding_rule('src/tmp/x') == tmp
    assert ignore.deciding_rule('src/tmp') == tmp
    assert tmp.line == 3
    assert not ignore.is_excluded('src/a/b.py')
    assert ignore.is_excluded('src/tmp/x')
    assert IgnoreFile.parse('docs\n').deciding_rule('src/a') is None
    assert IgnoreFile.parse('').deciding_rule('a') is None


def test_context_root_is_never_excluded() -> None:
    ignore = IgnoreFile.parse('**\n*\n.\n')
    assert not ignore.is_excluded('')
    assert not ignore.is_excluded('.')
    assert ignore.deciding_rule('.') is None


@pytest.mark.parametrize(
    ('text', 'line'),
    [
        ('!', 1),  # lone '!': "illegal exclusion pattern"
        ('secret\\ ', 1),  # no gitignore '\ ' escape: trimmed to 'secret\', a trailing '\'
        ('a\n! \n', 2),  # '!' and spaces: the same
        ('*\n!/', 2),  # '!/' -> New's Clean('!/') is '!'
        ('[', 1),  # patternmatcher_test.go TestMatchesWithMalformedPatterns
        ('a\n\n[]a]', 3),  # matchTests: ErrBadPattern rows
        ('[-]', 1),
        ('[x-]', 1),
        ('[-x]', 1),
        ('\\', 1),
        ('[a-b-c]', 1),
        ('[^', 1),
        ('[^bc', 1),
        ('a[', 1),
        ('a*[', 1),  # after a failing chunk: Go >= 1.20 checks the rest of the pattern too
        ('[z-a]', 1),  # Go regexp: invalid character class range
        ('a\\y', 1),  # Go regexp: invalid escape
        ('a\\1', 1),  # Go regexp: no backreferences
        ('x*{2}', 1),  # Go regexp: '[^/]*{2}' is a nested repetition
        ('a*{1001}', 1),  # Go regexp: repeat count over 1000
        ('[[:foo:]]', 1),  # Go regexp: unknown POSIX class
    ],
)
def test_docker_fails_on(text: str, line: int) -> None:
    with pytest.raises(InputError) as exc_info:
        IgnoreFile.parse(text)
    assert exc_info.value.line == line
    assert 'Docker fails the build' in exc_info.value.reason


@pytest.mark.parametrize('pattern', ['\\pL', '[\\pL]', 'a\\z/b'])
def test_patterns_dockhooks_cannot_evaluate(pattern: str) -> None:
    with pytest.raises(InputError) as exc_info:
        IgnoreFile.parse(f'ok\n{pattern}\n')
    assert exc_info.value.line == 2
    assert 'cannot evaluate' in exc_info.value.reason


def test_line_too_long_for_docker() -> None:
    IgnoreFile.parse('a' * 65535)  # bufio.Scanner reads lines of up to 65535 bytes
    with pytest.raises(InputError) as exc_info:
        IgnoreFile.parse('ok\n' + 'é' * 32768)  # 65536 bytes
    assert exc_info.value.line == 2


def test_ignore_file_for(tmp_path: Path) -> None:
    context = str(tmp_path / 'ctx')
    docker = str(tmp_path / 'docker')
    os.makedirs(context)
    os.makedirs(docker)
    dockerfile = os.path.join(docker, 'test.Dockerfile')
    # Neither file exists: the context's .dockerignore is still the answer.
    assert ignore_file_for(dockerfile, context) == os.path.join(context, '.dockerignore')
    # A directory named like the specific file does not count.
    os.makedirs(dockerfile + '.dockerignore')
    assert ignore_file_for(dockerfile, context) == os.path.join(context, '.dockerignore')
    plain = os.path.join(docker, 'Dockerfile')
    with open(os.path.join(context, '.dockerignore'), 'w') as f:
        f.write('*\n')
    assert ignore_file_for(plain, context) == os.path.join(context, '.dockerignore')
    # '<Dockerfile>.dockerignore' beside the Dockerfile wins, even when empty.
    open(plain + '.dockerignore', 'w').close()
    assert ignore_file_for(plain, context) == plain + '.dockerignore'


def test_corpus_ignore_files(corpus: Path) -> None:
    """Every real-world .dockerignore of the corpus parses (Docker builds with all of them),
    and each literal pattern matches the path it names."""
    rows = (corpus / 'MANIFEST.tsv').read_text(encoding='utf-8').splitlines()[1:]
    files = [corpus / row.split('\t')[2] for row in rows if row.split('\t')[3] == 'dockerignore']
    assert files
    for path in files:
        ignore = IgnoreFile.parse(read_text(str(path)))
        for rule in ignore.rules:
            literal = not any(c in rule.pattern for c in '*?[]\\|{}')
            if literal and rule.pattern not in ('.', '/') and not rule.pattern.startswith('..'):
                assert ignore.deciding_rule(rule.pattern) is not None, (path, rule)
