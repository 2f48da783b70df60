#include "transforms/PreambleScan.h"
#include "transforms/SourceMapping.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

#include <set>

namespace abi3port {
namespace {

/// The leading lines of a file, one directive at a time.
class DirectiveReader {
public:
  explicit DirectiveReader(llvm::StringRef Text) : Text(Text) {}

  enum Kind { Directive, Code, End };

  /// The next directive, its text after the `#` with comments stripped and
  /// continuation lines joined.
  Kind next(std::string &Line) {
    if (!skipBlank())
      return Code;
    if (Pos >= Text.size())
      return End;
    if (Text[Pos] != '#')
      return Code;
    std::string Joined;
    for (;;) {
      size_t NL = Text.find('\n', Pos);
      size_t Stop = NL == llvm::StringRef::npos ? Text.size() : NL;
      llvm::StringRef Part = Text.slice(Pos, Stop);
      Pos = NL == llvm::StringRef::npos ? Text.size() : NL + 1;
      Part = Part.rtrim("\r");
      if (Part.ends_with("\\")) {
        Joined += Part.drop_back().str() + " ";
        continue;
      }
      Joined += Part.str();
      break;
    }
    std::optional<std::string> Stripped = withoutComments(llvm::StringRef(Joined).drop_front());
    if (!Stripped)
      return Code;
    Line = llvm::StringRef(*Stripped).trim().str();
    return Directive;
  }

  /// The code from here to the next line that starts a directive (or the
  /// end), comments and literals followed so that a `#` inside them does not
  /// count; nullopt when a comment or literal runs to the end of the file.
  std::optional<std::string> codeUntilDirective() {
    size_t Start = Pos;
    bool LineStart = false;
    while (Pos < Text.size()) {
      char C = Text[Pos];
      if (LineStart && C == '#')
        break;
      if (C == '\n') {
        LineStart = true;
        ++Pos;
        continue;
      }
      if (C != ' ' && C != '\t' && C != '\r' && C != '\f' && C != '\v')
        LineStart = false;
      if (Text.substr(Pos).starts_with("/*")) {
        size_t Close = Text.find("*/", Pos + 2);
        if (Close == llvm::StringRef::npos)
          return std::nullopt;
        Pos = Close + 2;
      } else if (Text.substr(Pos).starts_with("//")) {
        size_t NL = Text.find('\n', Pos);
        if (NL == llvm::StringRef::npos)
          NL = Text.size();
        if (Text.slice(Pos, NL).rtrim("\r").ends_with("\\"))
          return std::nullopt;
        Pos = NL;
      } else if (C == '"' || C == '\'') {
        size_t J = Pos + 1;
        while (J < Text.size() && Text[J] != C && Text[J] != '\n')
          J += Text[J] == '\\' ? 2 : 1;
        if (J >= Text.size() || Text[J] != C)
          return std::nullopt;
        Pos = J + 1;
      } else {
        ++Pos;
      }
    }
    return Text.slice(Start, Pos).str();
  }

  /// Nothing but blanks and comments up to the end of the file.
  bool atEnd() {
    return skipBlank() && Pos >= Text.size();
  }

private:
  /// Skips white space and comments; false on one that does not end.
  bool skipBlank() {
    while (Pos < Text.size()) {
      char C = Text[Pos];
      if (C == ' ' || C == '\t' || C == '\n' || C == '\r' || C == '\f' || C == '\v') {
        ++Pos;
      } else if (Text.substr(Pos).starts_with("/*")) {
        size_t Close = Text.find("*/", Pos + 2);
        if (Close == llvm::StringRef::npos)
          return false;
        Pos = Close + 2;
      } else if (Text.substr(Pos).starts_with("//")) {
        size_t NL = Text.find('\n', Pos);
        llvm::StringRef Comment = Text.slice(Pos, NL).rtrim("\r");
        if (Comment.ends_with("\\"))
          return false; // continues on the next line
        Pos = NL == llvm::StringRef::npos ? Text.size() : NL + 1;
      } else {
        return true;
      }
    }
    return true;
  }

  /// The line without its comments (each a space); nullopt when a block
  /// comment runs past the line.
  static std::optional<std::string> withoutComments(llvm::StringRef Line) {
    std::string Out;
    for (size_t I = 0; I < Line.size(); ++I) {
      char C = Line[I];
      if (C == '"' || C == '\'') {
        size_t J = I + 1;
        while (J < Line.size() && Line[J] != C)
          J += Line[J] == '\\' ? 2 : 1;
        Out += Line.slice(I, J + 1).str();
        I = J;
      } else if (Line.substr(I).starts_with("/*")) {
        size_t Close = Line.find("*/", I + 2);
        if (Close == llvm::StringRef::npos)
          return std::nullopt;
        Out += ' ';
        I = Close + 1;
      } else if (Line.substr(I).starts_with("//")) {
        break;
      } else {
        Out += C;
      }
    }
    return Out;
  }

  llvm::StringRef Text;
  size_t Pos = 0;
};

/// `name rest` of a directive's text.
std::pair<llvm::StringRef, llvm::StringRef> splitDirective(llvm::StringRef Line) {
  Line = Line.ltrim();
  size_t End = 0;
  while (End < Line.size() && (llvm::isAlnum(Line[End]) || Line[End] == '_'))
    ++End;
  return {Line.take_front(End), Line.drop_front(End).trim()};
}

/// The header name of an `#include`'s operand, with its delimiters.
std::optional<std::string> headerName(llvm::StringRef Operand) {
  if (Operand.empty() || (Operand[0] != '"' && Operand[0] != '<'))
    return std::nullopt; // computed include
  char Close = Operand[0] == '"' ? '"' : '>';
  size_t End = Operand.find(Close, 1);
  if (End == llvm::StringRef::npos || !Operand.drop_front(End + 1).trim().empty())
    return std::nullopt;
  return Operand.take_front(End + 1).str();
}

/// The identifier a guard tests: `#ifndef G`, `#if !defined(G)`, `#if !defined G`.
std::optional<std::string> guardName(llvm::StringRef Name, llvm::StringRef Rest) {
  if (Name == "ifndef")
    return Rest.str();
  if (Name != "if" || !Rest.consume_front("!"))
    return std::nullopt;
  Rest = Rest.ltrim();
  if (!Rest.consume_front("defined"))
    return std::nullopt;
  Rest = Rest.trim();
  if (Rest.consume_front("(") && !Rest.consume_back(")"))
    return std::nullopt;
  Rest = Rest.trim();
  if (Rest.empty() || !llvm::all_of(Rest, [](char C) { return llvm::isAlnum(C) || C == '_'; }))
    return std::nullopt;
  return Rest.str();
}

/// Whether a condition could evaluate differently in the PCH, whose text
/// is another file at another include depth (`__has_include("x.h")` looks
/// next to the file that asks).
bool dependsOnItsFile(llvm::StringRef Condition) {
  for (llvm::StringRef Name : {"__has_include", "__INCLUDE_LEVEL__", "__FILE__", "__LINE__",
                               "__COUNTER__", "__BASE_FILE__", "__FILE_NAME__"})
    if (Condition.contains(Name))
      return true;
  return false;
}

class PreambleScanner {
public:
  explicit PreambleScanner(const IncludeSearch &Search) : Search(Search) {}

  /// Scans a file; false when the scan stopped inside it.
  bool scan(const std::string &Path, llvm::StringRef Text, bool Header) {
    if (!Seen.insert(Path).second || Seen.size() > 64)
      return false;
    DirectiveReader Reader(Text);
    std::string Line;
    std::optional<std::string> Guard;
    bool First = true;
    for (;;) {
      DirectiveReader::Kind K = Reader.next(Line);
      if (K == DirectiveReader::End)
        return Header && !Guard;
      if (K == DirectiveReader::Code) {
        if (!Header || !hoistOver(Reader))
          return false;
        First = false;
        continue;
      }
      auto [Name, Rest] = splitDirective(Line);
      bool WasFirst = First;
      First = false;
      if (Header && Name == "pragma" && Rest == "once")
        continue;
      if (Header && WasFirst)
        if (std::optional<std::string> G = guardName(Name, Rest)) {
          std::string Define;
          if (Reader.next(Define) != DirectiveReader::Directive)
            return false;
          auto [DName, DRest] = splitDirective(Define);
          if (DName != "define" || splitDirective(DRest).first != *G)
            return false;
          Guard = *G;
          continue;
        }
      if (Header && Guard && Name == "endif")
        return Reader.atEnd(); // the whole header was directives
      if (Name == "define" || Name == "undef") {
        Out += "#" + Name.str() + " " + Rest.str() + "\n";
        continue;
      }
      if (Name == "if" || Name == "ifdef" || Name == "ifndef") {
        if (!conditional(Path, Reader, Line))
          return false;
        continue;
      }
      if (Name != "include" || !include(Path, Rest))
        return false;
    }
  }

  std::string Out;
  bool ForeignInclude = false;
  std::string Hoisted;    ///< the project code the scan went past
  unsigned HoistLine = 0; ///< the line of Out after which the rest comes

private:
  /// Goes past a project header's code: what follows joins the preamble,
  /// which the PCH then reads before that code (Preamble.cpp checks at build
  /// time that this changes nothing, and cuts the preamble here otherwise).
  bool hoistOver(DirectiveReader &Reader) {
    std::optional<std::string> Code = Reader.codeUntilDirective();
    if (!Code || llvm::StringRef(*Code).contains("_Pragma"))
      return false;
    if (!HoistLine)
      HoistLine = llvm::count(Out, '\n') + 1;
    Hoisted += *Code + "\n";
    return true;
  }

  /// A conditional block, kept whole when it holds only defines, the
  /// includes of foreign headers, `#error`s and nested conditionals: the PCH
  /// evaluates it in the same macro state as the parse will (everything
  /// before it is in the preamble), so both take the same branch. A block
  /// with code or a project header in it ends the preamble before it.
  bool conditional(const std::string &Includer, DirectiveReader &Reader,
                   const std::string &First) {
    if (dependsOnItsFile(First))
      return false;
    std::string Block = "#" + First + "\n";
    bool Foreign = false;
    std::string Line;
    for (unsigned Depth = 1; Depth > 0;) {
      if (Reader.next(Line) != DirectiveReader::Directive)
        return false;
      auto [Name, Rest] = splitDirective(Line);
      if ((Name == "if" || Name == "elif") && dependsOnItsFile(Rest))
        return false;
      if (Name == "if" || Name == "ifdef" || Name == "ifndef") {
        ++Depth;
      } else if (Name == "endif") {
        --Depth;
      } else if (Name == "include") {
        std::optional<std::string> Spelled = headerName(Rest);
        if (!Spelled || findProjectHeader(Includer, Spelled->substr(1, Spelled->size() - 2),
                                          (*Spelled)[0] == '"'))
          return false;
        Line = "include " + *Spelled;
        Foreign = true;
      } else if (Name != "elif" && Name != "else" && Name != "define" && Name != "undef" &&
                 Name != "error" && Name != "warning") {
        return false;
      }
      Block += "#" + Line + "\n";
    }
    Out += Block;
    ForeignInclude |= Foreign;
    return true;
  }

  /// Follows an `#include`: a project header is scanned, another header is
  /// kept. False when the scan stops there.
  bool include(const std::string &Includer, llvm::StringRef Operand) {
    std::optional<std::string> Spelled = headerName(Operand);
    if (!Spelled)
      return false;
    bool Quoted = (*Spelled)[0] == '"';
    std::string Name = Spelled->substr(1, Spelled->size() - 2);
    std::optional<std::string> Found = findProjectHeader(Includer, Name, Quoted);
    if (!Found) {
      Out += "#include " + *Spelled + "\n";
      ForeignInclude = true;
      return true;
    }
    std::optional<std::string> Text = Search.Read(*Found);
    return Text && scan(*Found, *Text, /*Header=*/true);
  }

  /// Where the parse finds `Name` among the project's directories, as clang
  /// searches them; nullopt when it finds it elsewhere (system and CPython
  /// headers). A header found in CPython's include directory is not the
  /// project's.
  std::optional<std::string> findProjectHeader(const std::string &Includer,
                                               const std::string &Name, bool Quoted) const {
    if (llvm::sys::path::is_absolute(Name))
      return Search.PythonInclude.empty() || !isBelow(Name, Search.PythonInclude)
                 ? std::optional<std::string>(Name)
                 : std::nullopt;
    std::vector<std::string> Dirs;
    if (Quoted) {
      Dirs.push_back(llvm::sys::path::parent_path(Includer).str());
      Dirs.insert(Dirs.end(), Search.QuoteDirs.begin(), Search.QuoteDirs.end());
    }
    Dirs.insert(Dirs.end(), Search.UserDirs.begin(), Search.UserDirs.end());
    for (const std::string &Dir : Dirs) {
      llvm::SmallString<256> Candidate(Dir);
      llvm::sys::path::append(Candidate, Name);
      if (!llvm::sys::fs::is_regular_file(Candidate))
        continue;
      std::string Real = canonicalPath(Candidate);
      if (!Search.PythonInclude.empty() && isBelow(Real, Search.PythonInclude))
        return std::nullopt;
      return Real;
    }
    return std::nullopt;
  }

  static bool isBelow(llvm::StringRef Path, llvm::StringRef Dir) {
    return Path.starts_with(Dir) &&
           (Path.size() == Dir.size() || Dir.ends_with("/") || Path[Dir.size()] == '/');
  }

  const IncludeSearch &Search;
  std::set<std::string> Seen;
};

} // namespace

IncludeSearch includeSearchOf(const std::vector<std::string> &Args, llvm::StringRef Directory,
                              llvm::StringRef PythonInclude) {
  IncludeSearch S;
  S.PythonInclude = PythonInclude.str();
  auto Absolute = [&](llvm::StringRef Dir) {
    llvm::SmallString<256> P(Dir);
    if (!llvm::sys::path::is_absolute(P)) {
      P = Directory;
      llvm::sys::path::append(P, Dir);
    }
    llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
    return std::string(P);
  };
  for (size_t I = 0; I < Args.size(); ++I) {
    llvm::StringRef A = Args[I];
    auto Value = [&](llvm::StringRef Flag) -> std::optional<std::string> {
      if (A == Flag)
        return I + 1 < Args.size() ? std::optional<std::string>(Args[++I]) : std::nullopt;
      if (A.starts_with(Flag))
        return A.drop_front(Flag.size()).str();
      return std::nullopt;
    };
    if (auto D = Value("-iquote"))
      S.QuoteDirs.push_back(Absolute(*D));
    else if (auto D = Value("--include-directory="))
      S.UserDirs.push_back(Absolute(*D));
    else if (auto D = Value("-I")) // case-sensitive: not -include, -isystem, -idirafter
      S.UserDirs.push_back(Absolute(*D));
  }
  if (std::optional<std::string> CPath = llvm::sys::Process::GetEnv("CPATH")) {
    llvm::SmallVector<llvm::StringRef> Dirs;
    llvm::StringRef(*CPath).split(Dirs, ':', -1, false);
    for (llvm::StringRef D : Dirs)
      S.UserDirs.push_back(Absolute(D));
  }
  S.Read = [](const std::string &Path) -> std::optional<std::string> {
    if (auto Buffer = llvm::MemoryBuffer::getFile(Path))
      return (*Buffer)->getBuffer().str();
    return std::nullopt;
  };
  return S;
}

std::optional<SharedPreamble> sharedPreamble(llvm::StringRef MainFile, llvm::StringRef Text,
                                             const IncludeSearch &Search) {
  PreambleScanner Scanner(Search);
  Scanner.scan(canonicalPath(MainFile), Text, /*Header=*/false);
  if (!Scanner.ForeignInclude)
    return std::nullopt;
  SharedPreamble P;
  P.Text = Scanner.Out;
  if (Scanner.HoistLine && Scanner.HoistLine <= llvm::count(P.Text, '\n')) {
    P.Hoisted = Scanner.Hoisted;
    P.HoistLine = Scanner.HoistLine;
  }
  return P;
}

} // namespace abi3port
