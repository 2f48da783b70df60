#include "transforms/build/BuildConfig.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Regex.h"

namespace abi3port {
namespace {

const char *const SetupPyScript =
#include "transforms/build/setup_py.py.inc"
    ;

using clang::tooling::Replacement;

std::string cpTag(PythonVersion V) { return "cp" + std::to_string(V.Major) + std::to_string(V.Minor); }

std::optional<std::string> readFile(llvm::StringRef Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return std::nullopt;
  return (*Buffer)->getBuffer().str();
}

Finding site(llvm::StringRef File, unsigned Line, std::string Message) {
  Finding F;
  F.Pos = {File.str(), Line, 1, Line, 1};
  F.Rule = "build-config";
  F.Blocker = false;
  F.Message = std::move(Message);
  return F;
}

struct Collected {
  std::vector<RuleEdit> Edits;
  std::map<std::string, std::string> Originals;
  std::vector<Finding> Sites;

  /// Insertions at one place are one text, in the order they came.
  void insert(const std::string &File, unsigned Offset, std::string Text) {
    for (RuleEdit &E : Edits)
      if (E.Replacement.getFilePath() == File && E.Replacement.getOffset() == Offset) {
        E.Replacement = Replacement(File, Offset, 0, (E.Replacement.getReplacementText() + Text).str());
        return;
      }
    Edits.push_back({"build-config", Replacement(File, Offset, 0, Text), File + "#build-config", {}});
  }
};

/// The setup.py edits, from the embedded script's answer.
void portSetupPy(const std::string &File, PythonVersion Target, Collected &Out) {
  std::optional<std::string> Python;
  for (const char *Name : {"/usr/bin/python3", "python3"})
    if (auto P = llvm::sys::findProgramByName(Name))
      if (!Python)
        Python = *P;
  if (!Python) {
    Out.Sites.push_back(site(File, 1, "setup.py is not read: no python3 to parse it; add "
                                      "py_limited_api=True to each Extension(...)"));
    return;
  }
  llvm::SmallString<128> OutFile;
  llvm::sys::fs::createTemporaryFile("abi3port-setup", "json", OutFile);
  std::string Hex = Target.hexString(), Tag = cpTag(Target);
  std::vector<llvm::StringRef> Args = {*Python, "-c", SetupPyScript, File, Hex, Tag};
  std::optional<llvm::StringRef> Redirects[] = {std::nullopt, llvm::StringRef(OutFile),
                                                llvm::StringRef(OutFile)};
  int Status = llvm::sys::ExecuteAndWait(*Python, Args, std::nullopt, Redirects, 60);
  std::optional<std::string> Answer = readFile(OutFile);
  llvm::sys::fs::remove(OutFile);
  llvm::Expected<llvm::json::Value> V = llvm::json::parse(Answer ? *Answer : "");
  if (Status != 0 || !V) {
    if (!V)
      llvm::consumeError(V.takeError());
    Out.Sites.push_back(site(File, 1, "setup.py does not parse with python3; add "
                                      "py_limited_api=True to each Extension(...) by hand"));
    return;
  }
  const llvm::json::Object &O = *V->getAsObject();
  if (const llvm::json::Array *Edits = O.getArray("edits"))
    for (const llvm::json::Value &E : *Edits) {
      const llvm::json::Array &A = *E.getAsArray();
      Out.insert(File, unsigned(*A[0].getAsInteger()), A[2].getAsString()->str());
    }
  if (const llvm::json::Array *Manual = O.getArray("manual"))
    for (const llvm::json::Value &M : *Manual) {
      const llvm::json::Array &A = *M.getAsArray();
      Out.Sites.push_back(site(File, unsigned(*A[0].getAsInteger()), A[1].getAsString()->str()));
    }
}

/// `Key = Value` in the TOML table `Table` (added after its header, or as a
/// new table at the end), unless the file already sets `Key`.
void setTomlKey(const std::string &File, llvm::StringRef Text, llvm::StringRef Table,
                llvm::StringRef Key, llvm::StringRef Value, Collected &Out) {
  llvm::Regex HasKey("^[ \t]*" + llvm::Regex::escape(Key) + "[ \t]*=",
                     llvm::Regex::Newline);
  if (HasKey.match(Text))
    return;
  std::string Line = (Key + " = " + Value + "\n").str();
  std::string Header = ("[" + Table + "]").str();
  size_t At = 0;
  for (llvm::StringRef Rest = Text; !Rest.empty();) {
    auto [L, Next] = Rest.split('\n');
    if (L.trim() == Header) {
      size_t End = At + L.size() + (Next.data() > L.end() ? 1 : 0);
      Out.insert(File, End, Line);
      return;
    }
    At += L.size() + 1;
    Rest = Next;
  }
  std::string Prefix = Text.empty() || Text.ends_with("\n") ? "\n" : "\n\n";
  Out.insert(File, Text.size(), Prefix + Header + "\n" + Line);
}

/// Each call of `Function` (a regex) gets `Argument` before its closing
/// parenthesis, unless its arguments already hold `Marker`.
void addToCalls(const std::string &File, llvm::StringRef Text, llvm::StringRef Function,
                llvm::StringRef Marker, llvm::StringRef Argument, llvm::StringRef Separator,
                bool AfterModule, Collected &Out) {
  llvm::Regex Call(Function, llvm::Regex::IgnoreCase);
  size_t From = 0;
  llvm::SmallVector<llvm::StringRef> Match;
  while (Call.match(Text.substr(From), &Match)) {
    size_t Open = From + (Match[0].data() - Text.substr(From).data()) + Match[0].size() - 1;
    int Depth = 0;
    size_t Close = llvm::StringRef::npos;
    for (size_t I = Open; I < Text.size(); ++I) {
      if (Text[I] == '(')
        ++Depth;
      else if (Text[I] == ')' && --Depth == 0) {
        Close = I;
        break;
      }
    }
    if (Close == llvm::StringRef::npos)
      return;
    llvm::StringRef Args = Text.slice(Open + 1, Close);
    if (!Args.contains(Marker)) {
      if (AfterModule) {
        // CMake: after the target's name, and after MODULE when it follows.
        llvm::StringRef Rest = Args.ltrim();
        size_t Lead = Args.size() - Rest.size();
        size_t NameEnd = std::min(Rest.find_first_of(" \t\r\n"), Rest.size());
        llvm::StringRef After = Rest.substr(NameEnd);
        size_t At = Open + 1 + Lead + NameEnd;
        if (After.ltrim().starts_with("MODULE"))
          At += After.size() - After.ltrim().size() + 6;
        Out.insert(File, At, (" " + Argument).str());
      } else {
        llvm::StringRef Before = Text.take_front(Close).rtrim();
        bool Comma = Before.ends_with(",");
        Out.insert(File, Before.size(), ((Comma ? " " : Separator) + Argument).str());
      }
    }
    From = Close + 1;
  }
}

} // namespace

BuildConfigPort portBuildConfig(const std::vector<std::string> &Sources, llvm::StringRef Root,
                                PythonVersion Target,
                                const std::vector<std::string> &FullApiSources) {
  BuildConfigPort Result;
  if (Sources.empty())
    return Result;
  llvm::SmallString<256> Dir = llvm::sys::path::parent_path(Sources.front());
  for (;;) {
    llvm::SmallString<256> Py(Dir), Setup(Dir);
    llvm::sys::path::append(Py, "pyproject.toml");
    llvm::sys::path::append(Setup, "setup.py");
    if (llvm::sys::fs::exists(Py) || llvm::sys::fs::exists(Setup)) {
      Result.ProjectDir = std::string(Dir);
      break;
    }
    llvm::StringRef Parent = llvm::sys::path::parent_path(Dir);
    if (Dir == Root || Parent.empty() || Parent == Dir || !llvm::StringRef(Dir).starts_with(Root))
      return Result;
    Dir = Parent;
  }
  auto Path = [&](llvm::StringRef Name) {
    llvm::SmallString<256> P(Result.ProjectDir);
    llvm::sys::path::append(P, Name);
    return std::string(P);
  };
  std::string First = llvm::sys::fs::exists(Path("setup.py")) ? Path("setup.py")
                                                               : Path("pyproject.toml");
  if (!FullApiSources.empty()) {
    Result.Sites.push_back(site(
        First, 1,
        "the build configuration is left as it is: " + std::to_string(FullApiSources.size()) +
            " source" + (FullApiSources.size() == 1 ? "" : "s") +
            " still use the full API (" + llvm::sys::path::filename(FullApiSources.front()).str() +
            (FullApiSources.size() > 1 ? ", ..." : "") +
            "); port them, then run port again for an abi3 wheel"));
    return Result;
  }
  Collected Out;
  std::string Version = std::to_string(Target.Major) + "." + std::to_string(Target.Minor);
  if (std::optional<std::string> Text = readFile(Path("setup.py"))) {
    Out.Originals[Path("setup.py")] = *Text;
    portSetupPy(Path("setup.py"), Target, Out);
  }
  if (std::optional<std::string> Text = readFile(Path("pyproject.toml"))) {
    std::string File = Path("pyproject.toml");
    Out.Originals[File] = *Text;
    llvm::SmallVector<llvm::StringRef> Backend;
    llvm::Regex("build-backend[ \t]*=[ \t]*[\"']([^\"']+)[\"']").match(*Text, &Backend);
    llvm::StringRef Name = Backend.size() > 1 ? Backend[1] : "";
    if (Name.starts_with("scikit_build_core"))
      setTomlKey(File, *Text, "tool.scikit-build", "wheel.py-api", "\"" + cpTag(Target) + "\"",
                 Out);
    else if (Name == "mesonpy")
      setTomlKey(File, *Text, "tool.meson-python", "limited-api", "true", Out);
    else if (Name.starts_with("setuptools") && !llvm::sys::fs::exists(Path("setup.py")) &&
             llvm::StringRef(*Text).contains("ext-modules"))
      Out.Sites.push_back(site(File, 1, "extensions declared in pyproject.toml are not edited: "
                                        "add py-limited-api = true to each "
                                        "[[tool.setuptools.ext-modules]], and "
                                        "[tool.distutils.bdist_wheel] py-limited-api = \"" +
                                            cpTag(Target) + "\""));
    else if (!Name.empty() && !Name.starts_with("setuptools"))
      Out.Sites.push_back(site(File, 1, "build backend '" + Name.str() +
                                            "' is not known: make it build an abi3 wheel "
                                            "tagged " + cpTag(Target) + "-abi3"));
  }
  if (std::optional<std::string> Text = readFile(Path("CMakeLists.txt"))) {
    std::string File = Path("CMakeLists.txt");
    Out.Originals[File] = *Text;
    addToCalls(File, *Text, "python3?_add_library[ \t]*\\(", "USE_SABI", "USE_SABI " + Version,
               "", /*AfterModule=*/true, Out);
  }
  if (std::optional<std::string> Text = readFile(Path("meson.build"))) {
    std::string File = Path("meson.build");
    Out.Originals[File] = *Text;
    addToCalls(File, *Text, "extension_module[ \t]*\\(", "limited_api",
               "limited_api: '" + Version + "'", ", ", /*AfterModule=*/false, Out);
  }
  EditSet Set;
  Set.addAll(Out.Edits);
  std::vector<EditConflict> Conflicts;
  Result.Files = Set.merge(Out.Originals, Conflicts);
  for (const EditConflict &C : Conflicts) {
    unsigned Line = llvm::StringRef(Out.Originals[C.File]).take_front(C.Offset).count('\n') + 1;
    Out.Sites.push_back(
        site(C.File, Line, "the build configuration's edits overlap here; the file is not edited"));
  }
  Result.Sites = std::move(Out.Sites);
  return Result;
}

} // namespace abi3port
