"""The shell grammar (POSIX 2.10), as a recursive-descent parser.

Each method reads one grammar symbol from the token stream the `Lexer`
produces, with one token of lookahead.  The productions, simplified::

    program          : linebreak (complete_command newline_list)* linebreak
    complete_command : and_or ((';' | '&') and_or)* [';' | '&']
    and_or           : pipeline (('&&' | '||') linebreak pipeline)*
    pipeline         : ['!'] command ('|' linebreak command)*
    command          : simple_command
                     | compound_command redirect*
                     | fname '(' ')' linebreak compound_command
    compound_command : '{' compound_list '}' | '(' compound_list ')'
                     | if | while | until | for | case
    compound_list    : linebreak and_or (separator and_or)* [separator]

Reserved words (2.4: ``if then else elif fi do done case esac while until
for { } ! in``) are ordinary WORD tokens, recognized only where the grammar
expects a command name (or ``in``/``do`` after ``for``/``case``), and only
when unquoted.

A shell executes a script one complete command at a time, so `Parser`
offers `parse_next`: a syntax error on line 5 does not prevent lines 1-4
from running, as in every real shell.
"""

import re
from typing import List, Optional

import attrs

from .ast import (
    AndOr, Assign, BraceGroup, Case, CaseItem, DoubleBracket, For, FunctionDef, If, Lit,
    Loop, Node, Pipeline, Redirect, Sequence, SimpleCommand, Subshell, Word,
)
from .lexer import Incomplete, Lexer, ShellSyntaxError, Token

RESERVED = frozenset({
    "if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until",
    "for", "{", "}", "!", "function", "[[",
})

#: Reserved words that end a compound list.
TERMINATORS = frozenset({"then", "else", "elif", "fi", "do", "done", "esac", "}"})

REDIRECT_OPS = frozenset({"<", ">", ">>", ">|", "<>", "<&", ">&", "<<", "<<-", "<<<", "&>", "&>>"})

_ASSIGNMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(\+?)=")


class Parser:
    def __init__(self, lexer: Lexer):
        self.lexer = lexer
        self._tok: "Optional[Token]" = None

    # -- token helpers --------------------------------------------------

    def peek(self) -> Token:
        if self._tok is None:
            self._tok = self.lexer.next()
        return self._tok

    def advance(self) -> Token:
        tok = self.peek()
        self._tok = None
        return tok

    def _reserved(self, tok: Token) -> "Optional[str]":
        if tok.kind == "WORD":
            text = tok.word.literal()
            if text in RESERVED:
                return text
        return None

    def _is_op(self, tok: Token, *ops: str) -> bool:
        return tok.kind == "OP" and tok.value in ops

    def _skip_newlines(self) -> None:
        while self.peek().kind == "NEWLINE":
            self.advance()

    def error(self, tok: Token):
        """Raise the syntax error for an unexpected token (`Incomplete` at
        the end of the input: more lines could complete the command)."""
        if tok.kind == "EOF":
            raise Incomplete("unexpected end of file", tok.line, tok.describe())
        raise ShellSyntaxError(f'unexpected "{tok.describe()}"', tok.line, tok.describe())

    def expect_word(self, word: str) -> Token:
        tok = self.peek()
        if tok.kind == "WORD" and tok.word.literal() == word:
            return self.advance()
        self.error(tok)

    def expect_op(self, op: str) -> Token:
        tok = self.peek()
        if self._is_op(tok, op):
            return self.advance()
        self.error(tok)

    # -- lists ------------------------------------------------------------

    def parse_next(self) -> "Optional[Node]":
        """The next complete command, or None at the end of the input."""
        self._skip_newlines()
        if self.peek().kind == "EOF":
            return None
        node = self.list_(compound=False)
        tok = self.peek()
        if tok.kind == "NEWLINE":
            self.advance()
        elif tok.kind != "EOF":
            self.error(tok)
        return node

    def _at_list_end(self, compound: bool) -> bool:
        tok = self.peek()
        if tok.kind == "EOF":
            return True
        if tok.kind == "NEWLINE":
            return not compound
        if self._is_op(tok, ")", ";;", ";&", ";;&"):
            return True
        return compound and tok.kind == "WORD" and tok.word.literal() in TERMINATORS

    def list_(self, compound: bool) -> Node:
        items = []
        while True:
            node = self.and_or()
            tok = self.peek()
            if self._is_op(tok, ";", "&"):
                self.advance()
                items.append((node, tok.value == "&"))
                if compound:
                    self._skip_newlines()
                if self._at_list_end(compound):
                    break
            elif compound and tok.kind == "NEWLINE":
                self._skip_newlines()
                items.append((node, False))
                if self._at_list_end(compound):
                    break
            else:
                items.append((node, False))
                break
        if len(items) == 1 and not items[0][1]:
            return items[0][0]
        return Sequence(tuple(items))

    def compound_list(self) -> Node:
        self._skip_newlines()
        if self._at_list_end(True):
            self.error(self.peek())
        return self.list_(compound=True)

    def and_or(self) -> Node:
        first = self.pipeline()
        rest = []
        while self._is_op(self.peek(), "&&", "||"):
            op = self.advance().value
            self._skip_newlines()
            rest.append((op, self.pipeline()))
        return AndOr(first, tuple(rest)) if rest else first

    def pipeline(self) -> Node:
        negated = False
        if self._reserved(self.peek()) == "!":
            self.advance()
            negated = True
        commands = [self.command()]
        while self._is_op(self.peek(), "|", "|&"):
            op = self.advance().value
            if op == "|&":  # bash: cmd1 |& cmd2 is cmd1 2>&1 | cmd2
                commands[-1] = _add_redirect(commands[-1], Redirect(">&", Word((Lit("1"),), "1"), 2))
            self._skip_newlines()
            commands.append(self.command())
        if len(commands) == 1 and not negated:
            return commands[0]
        return Pipeline(tuple(commands), negated)

    # -- commands ---------------------------------------------------------

    def command(self) -> Node:
        tok = self.peek()
        word = self._reserved(tok)
        if word == "if":
            return self._redirected(self.if_clause())
        if word in ("while", "until"):
            return self._redirected(self.loop_clause())
        if word == "for":
            return self._redirected(self.for_clause())
        if word == "case":
            return self._redirected(self.case_clause())
        if word == "{":
            self.advance()
            body = self.compound_list()
            self.expect_word("}")
            return self._redirected(BraceGroup(body))
        if word == "function":
            return self.function_keyword()
        if word == "[[":
            return self.double_bracket()
        if word is not None:
            self.error(tok)
        if self._is_op(tok, "("):
            self.advance()
            body = self.compound_list()
            self.expect_op(")")
            return self._redirected(Subshell(body))
        return self.simple_command()

    def _redirected(self, node: Node) -> Node:
        redirects = []
        while True:
            redirect = self.maybe_redirect()
            if redirect is None:
                break
            redirects.append(redirect)
        if redirects:
            node = attrs.evolve(node, redirects=tuple(redirects))
        return node

    def maybe_redirect(self) -> "Optional[Redirect]":
        """The redirection the next tokens make (``2>file``, ``<<EOF``),
        or None when they do not start one."""
        tok = self.peek()
        if tok.kind == "IO_NUMBER":
            self.advance()
            return self.redirect(int(tok.value))
        if tok.kind == "OP" and tok.value in REDIRECT_OPS:
            return self.redirect(None)
        return None

    def redirect(self, fd: "Optional[int]") -> Redirect:
        op_tok = self.advance()
        target = self.peek()
        if target.kind != "WORD":
            self.error(target)
        self.advance()
        return Redirect(op_tok.value, target.word, fd, op_tok.heredoc)

    def simple_command(self) -> Node:
        assigns: "List[Assign]" = []
        words: "List[Word]" = []
        redirects: "List[Redirect]" = []
        line = self.peek().line
        while True:
            redirect = self.maybe_redirect()
            if redirect is not None:
                redirects.append(redirect)
                continue
            tok = self.peek()
            if tok.kind == "WORD":
                assign = None if words else _assignment(tok.word)
                self.advance()
                if assign is not None:
                    assigns.append(assign)
                    continue
                words.append(tok.word)
                if len(words) == 1 and not assigns and not redirects and self._is_op(self.peek(), "("):
                    return self.function_definition(tok.word.raw, tok)
            else:
                break
        if not (assigns or words or redirects):
            self.error(self.peek())
        return SimpleCommand(tuple(assigns), tuple(words), tuple(redirects), line)

    def function_definition(self, name: str, name_tok: Token) -> Node:
        """2.9.5: ``fname ( ) linebreak compound_command``."""
        self.expect_op("(")
        self.expect_op(")")
        self._skip_newlines()
        body = self.command()
        if isinstance(body, SimpleCommand):
            raise ShellSyntaxError('unexpected "' + (body.words[0].raw if body.words else "newline") + '"',
                                   name_tok.line, body.words[0].raw if body.words else "newline")
        return FunctionDef(name, body)

    def function_keyword(self) -> Node:
        """bash's ``function name [()] compound_command``."""
        self.advance()
        tok = self.peek()
        if tok.kind != "WORD":
            self.error(tok)
        self.advance()
        if self._is_op(self.peek(), "("):
            self.advance()
            self.expect_op(")")
        self._skip_newlines()
        return FunctionDef(tok.word.raw, self.command())

    def double_bracket(self) -> Node:
        line = self.advance().line
        words = []
        while True:
            tok = self.peek()
            if tok.kind == "WORD" and tok.word.literal() == "]]":
                self.advance()
                break
            if tok.kind in ("EOF", "NEWLINE"):
                self.error(tok)
            self.advance()
            if tok.kind == "WORD":
                words.append(tok.word)
            else:
                words.append(Word((Lit(tok.value),), tok.value))
        return self._redirected(DoubleBracket(tuple(words), line))

    # -- compound commands (2.9.4) -------------------------------------

    def if_clause(self) -> Node:
        self.advance()
        clauses = []
        cond = self.compound_list()
        self.expect_word("then")
        clauses.append((cond, self.compound_list()))
        else_body = None
        while True:
            word = self._reserved(self.peek())
            if word == "elif":
                self.advance()
                cond = self.compound_list()
                self.expect_word("then")
                clauses.append((cond, self.compound_list()))
            elif word == "else":
                self.advance()
                else_body = self.compound_list()
                self.expect_word("fi")
                break
            else:
                self.expect_word("fi")
                break
        return If(tuple(clauses), else_body)

    def loop_clause(self) -> Node:
        until = self.advance().word.literal() == "until"
        cond = self.compound_list()
        body = self.do_group()
        return Loop(cond, body, until)

    def do_group(self) -> Node:
        self.expect_word("do")
        body = self.compound_list()
        self.expect_word("done")
        return body

    def for_clause(self) -> Node:
        self.advance()
        tok = self.peek()
        if tok.kind != "WORD" or not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", tok.value):
            self.error(tok)
        self.advance()
        name = tok.value
        words = None
        self._skip_newlines()
        if self._reserved(self.peek()) is None and self.peek().kind == "WORD" and self.peek().word.literal() == "in":
            self.advance()
            words = []
            while self.peek().kind == "WORD":
                words.append(self.advance().word)
            words = tuple(words)
            if self._is_op(self.peek(), ";") or self.peek().kind == "NEWLINE":
                self.advance()
            else:
                self.error(self.peek())
        elif self._is_op(self.peek(), ";"):
            self.advance()
        self._skip_newlines()
        body = self.do_group()
        return For(name, words, body)

    def case_clause(self) -> Node:
        self.advance()
        tok = self.peek()
        if tok.kind != "WORD":
            self.error(tok)
        subject = self.advance().word
        self._skip_newlines()
        tok = self.peek()
        if not (tok.kind == "WORD" and tok.word.literal() == "in"):
            self.error(tok)
        self.advance()
        self._skip_newlines()
        items = []
        while self._reserved(self.peek()) != "esac":
            if self._is_op(self.peek(), "("):
                self.advance()
            patterns = []
            while True:
                tok = self.peek()
                if tok.kind != "WORD":
                    self.error(tok)
                patterns.append(self.advance().word)
                if self._is_op(self.peek(), "|"):
                    self.advance()
                    continue
                break
            self.expect_op(")")
            self._skip_newlines()
            body = None
            if not (self._is_op(self.peek(), ";;", ";&", ";;&") or self._reserved(self.peek()) == "esac"):
                body = self.list_(compound=True) if not self._at_list_end(True) else None
            tok = self.peek()
            fallthrough = False
            if self._is_op(tok, ";;", ";&", ";;&"):
                self.advance()
                fallthrough = tok.value == ";&"
                self._skip_newlines()
                items.append(CaseItem(tuple(patterns), body, fallthrough))
            elif self._reserved(tok) == "esac":
                items.append(CaseItem(tuple(patterns), body))
                break
            else:
                self.error(tok)
        self.expect_word("esac")
        return Case(subject, tuple(items))


def _assignment(word: Word) -> "Optional[Assign]":
    """``NAME=value`` (2.10.2 rule 7): the part before ``=`` must be an
    unquoted name."""
    if not word.parts or not isinstance(word.parts[0], Lit):
        return None
    m = _ASSIGNMENT.match(word.parts[0].text)
    if not m:
        return None
    rest = word.parts[0].text[m.end():]
    parts = ((Lit(rest),) if rest else ()) + tuple(word.parts[1:])
    return Assign(m.group(1), Word(parts, word.raw[m.end():]), append=bool(m.group(2)))


def _add_redirect(node: Node, redirect: Redirect) -> Node:
    if isinstance(node, (SimpleCommand, Subshell, BraceGroup, If, Loop, For, Case, DoubleBracket)):
        return attrs.evolve(node, redirects=tuple(node.redirects) + (redirect,))
    return node


# -- entry points -------------------------------------------------------------


def parse_program(text: str, *, bash: bool = False, line: int = 1) -> "Optional[Node]":
    """Parse a whole script into one node (None when it has no commands)."""
    parser = Parser(Lexer(text, line=line, bash=bash))
    items = []
    while True:
        node = parser.parse_next()
        if node is None:
            break
        items.append((node, False))
    if not items:
        return None
    return items[0][0] if len(items) == 1 else Sequence(tuple(items))


def parse_command_substitution(src: str, pos: int, line: int, *, bash: bool = False,
                               final: bool = True):
    """Parse the command list of ``$( ... )`` starting at ``pos`` (just
    after the opening parenthesis).  Returns (node or None, index after the
    closing parenthesis)."""
    lexer = Lexer(src, pos, line, bash=bash, final=final)
    parser = Parser(lexer)
    parser._skip_newlines()
    if parser._is_op(parser.peek(), ")"):
        parser.advance()
        return None, lexer.pos
    node = parser.list_(compound=True)
    parser._skip_newlines()
    parser.expect_op(")")
    return node, lexer.pos
