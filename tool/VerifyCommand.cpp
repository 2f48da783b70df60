//===- VerifyCommand.cpp - abi3port verify --------------------------------===//
///
/// \file
/// `abi3port verify [--target X.Y] [-p BUILD_DIR] [--python EXE]...
/// [--baseline FILE] [--test CMD] [--format text|json] (FILE.so | WHEEL |
/// SOURCES...)` (docs/verify.md): checks a built module, a wheel or sources
/// the way an abi3 wheel must hold:
///   - binaries (a .so, or each in a wheel): every undefined Py*/_Py* symbol
///     is in the Stable ABI at or below the target; the lowest version the
///     binary needs; for a wheel, its tags (`cp3X-abi3`);
///   - sources: each translation unit compiles with -DPy_LIMITED_API;
///   - under each interpreter at or above the target (--python, default:
///     every one found): the module imports; what it exposes equals the
///     baseline's (--baseline, the original build) under the same
///     interpreter; --test CMD passes where the baseline's does; under a
///     debug interpreter, repeated import/use/collect keeps references and
///     allocated blocks flat.
/// Exit status 0 when everything holds, 1 when something does not, 2 on
/// bad input.
///
//===----------------------------------------------------------------------===//
#include "tool/Commands.h"
#include "transforms/Frontend.h"
#include "transforms/verify/BinaryCheck.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

extern char **environ;

namespace abi3port {
namespace {

const char *const SurfaceScript =
#include "transforms/verify/surface.py.inc"
    ;

/// Rounds of import/use/collect under a debug interpreter (after twice as
/// many to warm up), and how much growth over them still counts as flat:
/// two blocks per round. Loading a module object allocates a little more
/// each time on 3.14 and 3.15 (up to 23 blocks over 20 rounds for modules
/// that leak nothing, in CI); a module that leaks an object per load grows
/// at least as fast as the rounds.
constexpr int LeakRounds = 20;
constexpr int LeakTolerance = 40;

/// Whether the binary counts its references in the debug interpreter's
/// total: built with Py_DEBUG headers. A module built against release
/// headers changes reference counts inline, unseen by
/// sys.gettotalrefcount(), which then drifts; its allocated blocks still
/// count.
bool countsReferences(const BinaryAudit &A) {
  return llvm::any_of(A.Imports, [](const ImportedSymbol &S) {
    llvm::StringRef N = S.Name;
    return N == "_Py_RefTotal" || N.starts_with("_Py_IncRefTotal") ||
           N == "_Py_NegativeRefcount";
  });
}

struct VerifyOptions {
  std::string Target = DefaultTarget.str();
  InputOptions Inputs; ///< -p, --python-include; Files are the sources
  std::vector<std::string> Pythons;
  std::string Baseline, Test, Format = "text";
  std::vector<std::string> Paths;
};

/// One line of the report.
struct Check {
  std::string Kind;    ///< symbol, tag, compile, import, surface, test, leaks, needs
  bool Ok = true;
  std::string Subject; ///< the binary, wheel, source or interpreter
  std::string Detail;
};

struct Interpreter {
  std::string Exe;
  PythonVersion Version{3, 0};
  bool Debug = false;
};

/// A module to import: a .so by path, or a dotted name under a directory.
struct Loadable {
  std::string Name;    ///< module name (dotted for wheels)
  bool CountsReferences = false; ///< countsReferences()
  std::string Path;    ///< the .so, or "" with SysPath
  std::string SysPath; ///< a wheel's unpacked tree
  std::string Label;
};

struct Run {
  int Status = -1;
  std::string Out, Err;
};

Run runProgram(llvm::StringRef Program, std::vector<std::string> Args,
               std::optional<std::vector<std::string>> Env = std::nullopt) {
  Run R;
  llvm::SmallString<128> OutFile, ErrFile;
  llvm::sys::fs::createTemporaryFile("abi3port-verify", "out", OutFile);
  llvm::sys::fs::createTemporaryFile("abi3port-verify", "err", ErrFile);
  std::vector<llvm::StringRef> Argv = {Program};
  for (const std::string &A : Args)
    Argv.push_back(A);
  std::optional<llvm::StringRef> Redirects[] = {std::nullopt, llvm::StringRef(OutFile),
                                                llvm::StringRef(ErrFile)};
  std::vector<llvm::StringRef> EnvRefs;
  if (Env)
    for (const std::string &E : *Env)
      EnvRefs.push_back(E);
  R.Status = llvm::sys::ExecuteAndWait(Program, Argv,
                                       Env ? std::optional<llvm::ArrayRef<llvm::StringRef>>(EnvRefs)
                                           : std::nullopt,
                                       Redirects, /*SecondsToWait=*/900);
  if (auto B = llvm::MemoryBuffer::getFile(OutFile))
    R.Out = (*B)->getBuffer().str();
  if (auto B = llvm::MemoryBuffer::getFile(ErrFile))
    R.Err = (*B)->getBuffer().str();
  llvm::sys::fs::remove(OutFile);
  llvm::sys::fs::remove(ErrFile);
  return R;
}

std::optional<Interpreter> probe(const std::string &Exe) {
  Run R = runProgram(Exe, {"-c", "import sys; print('%d.%d' % sys.version_info[:2], "
                                 "int(hasattr(sys, 'gettotalrefcount')))"});
  llvm::StringRef Out = llvm::StringRef(R.Out).trim();
  auto [Version, Debug] = Out.split(' ');
  std::optional<PythonVersion> V = PythonVersion::parse(Version);
  if (R.Status != 0 || !V)
    return std::nullopt;
  return Interpreter{Exe, *V, Debug == "1"};
}

/// Every interpreter found: python3.N and python3.Nd on PATH, Debian's, and
/// those of $ABI3PORT_PYTHONS/bin (scripts/get-pythons.sh).
std::vector<std::string> discoverPythons() {
  std::vector<std::string> Found;
  auto Add = [&](const std::string &Exe) {
    llvm::SmallString<256> Real;
    if (llvm::sys::fs::real_path(Exe, Real))
      return;
    if (llvm::none_of(Found, [&](const std::string &F) {
          llvm::SmallString<256> Other;
          return !llvm::sys::fs::real_path(F, Other) && Other == Real;
        }))
      Found.push_back(Exe);
  };
  std::vector<std::string> Dirs;
  if (const char *Pythons = std::getenv("ABI3PORT_PYTHONS"))
    Dirs.push_back(std::string(Pythons) + "/bin");
  for (unsigned Minor = 8; Minor <= 16; ++Minor)
    for (const char *Suffix : {"", "d"}) {
      std::string Name = "python3." + std::to_string(Minor) + Suffix;
      for (const std::string &Dir : Dirs)
        if (llvm::sys::fs::can_execute(Dir + "/" + Name))
          Add(Dir + "/" + Name);
      if (llvm::ErrorOr<std::string> P = llvm::sys::findProgramByName(Name))
        Add(*P);
    }
  return Found;
}

/// `PyInit_<name>` among the exports: the module's name.
std::string moduleNameOf(const BinaryAudit &A) {
  for (const std::string &E : A.Exports)
    if (llvm::StringRef(E).starts_with("PyInit_"))
      return E.substr(7);
  return "";
}

/// The differences of two JSON values, as paths.
void diffJson(const llvm::json::Value &A, const llvm::json::Value &B, const std::string &Path,
              std::vector<std::string> &Out) {
  const llvm::json::Object *OA = A.getAsObject(), *OB = B.getAsObject();
  if (OA && OB) {
    std::set<std::string> Keys;
    for (const auto &KV : *OA)
      Keys.insert(KV.first.str());
    for (const auto &KV : *OB)
      Keys.insert(KV.first.str());
    for (const std::string &K : Keys) {
      const llvm::json::Value *VA = OA->get(K), *VB = OB->get(K);
      if (!VA || !VB)
        Out.push_back(Path + "." + K + (VA ? ": only in the baseline" : ": only in the port"));
      else
        diffJson(*VA, *VB, Path + "." + K, Out);
    }
    return;
  }
  if (A != B)
    Out.push_back(Path + ": " + llvm::formatv("{0}", A).str() + " in the baseline, " +
                  llvm::formatv("{0}", B).str() + " in the port");
}

class Verifier {
public:
  Verifier(const VerifyOptions &Options, PythonVersion Target) : O(Options), Target(Target) {}

  int run() {
    std::vector<std::string> Sources, Binaries;
    for (const std::string &P : O.Paths) {
      llvm::StringRef Path = P;
      if (!llvm::sys::fs::exists(Path)) {
        printError(P + ": no such file");
        return 2;
      }
      bool Binary = Path.ends_with(".whl") || Path.ends_with(".so") || Path.ends_with(".pyd");
      (Binary ? Binaries : Sources).push_back(P);
    }
    // Sources first: the symbols' report names where the sources use them.
    if (!Sources.empty() && !checkSources(Sources))
      return 2;
    std::vector<Loadable> Modules;
    for (const std::string &P : Binaries) {
      if (llvm::StringRef(P).ends_with(".whl"))
        checkWheel(P, Modules);
      else
        checkBinary(P, Modules);
    }
    if (!Modules.empty())
      checkInterpreters(Modules);
    write();
    return llvm::all_of(Checks, [](const Check &C) { return C.Ok; }) ? 0 : 1;
  }

private:
  void add(std::string Kind, bool Ok, std::string Subject, std::string Detail) {
    Checks.push_back({std::move(Kind), Ok, std::move(Subject), std::move(Detail)});
  }

  /// Where the sources spell a symbol (by name), for the report.
  std::string usesOf(llvm::StringRef Symbol) {
    std::string Out;
    for (const auto &[File, Text] : SourceTexts) {
      llvm::StringRef T = Text;
      unsigned Line = 1;
      for (size_t At = 0, Prev = 0; (At = T.find(Symbol, At)) != llvm::StringRef::npos; ++At) {
        auto Word = [](char C) { return llvm::isAlnum(C) || C == '_'; };
        bool Whole = (At == 0 || !Word(T[At - 1])) &&
                     (At + Symbol.size() >= T.size() || !Word(T[At + Symbol.size()]));
        Line += T.slice(Prev, At).count('\n');
        Prev = At;
        if (Whole) {
          Out += (Out.empty() ? "; used at " : ", ") + File + ":" + std::to_string(Line);
          break;
        }
      }
    }
    return Out;
  }

  void auditBinary(const std::string &Label, llvm::StringRef Bytes, BinaryAudit &A) {
    llvm::Expected<BinaryAudit> Audit = auditSharedObject(Label, Bytes);
    if (!Audit) {
      add("symbol", false, Label, llvm::toString(Audit.takeError()));
      return;
    }
    A = std::move(*Audit);
    for (const ImportedSymbol *S : A.violations(Target))
      add("symbol", false, Label,
          "'" + S->Name + "' " +
              (S->InStableAbi ? "enters the Stable ABI in " + S->Added->str() +
                                    ", above the target " + Target.str()
                              : std::string("is not in the Stable ABI")) +
              usesOf(S->Name));
    add("needs", !A.Needs || !(Target < *A.Needs), Label,
        std::to_string(A.Imports.size()) + " Python symbols imported; the binary needs " +
            (A.Needs ? A.Needs->str() : std::string("3.2")) + " (target " + Target.str() +
            ")" + (A.Exports.empty() ? "" : "; exports " + llvm::join(A.Exports, ", ")));
  }

  void checkBinary(const std::string &Path, std::vector<Loadable> &Modules) {
    auto Buffer = llvm::MemoryBuffer::getFile(Path);
    if (!Buffer) {
      add("symbol", false, Path, Buffer.getError().message());
      return;
    }
    BinaryAudit A;
    auditBinary(Path, (*Buffer)->getBuffer(), A);
    if (!llvm::StringRef(Path).ends_with(".abi3.so"))
      add("tag", true, Path,
          "note: the file name has no .abi3 tag; an abi3 build is named NAME.abi3.so");
    std::string Name = moduleNameOf(A);
    if (!Name.empty())
      Modules.push_back({Name, countsReferences(A), Path, "", Path});
  }

  void checkWheel(const std::string &Path, std::vector<Loadable> &Modules) {
    std::optional<WheelTags> Tags = wheelTags(Path);
    if (!Tags) {
      add("tag", false, Path, "not a wheel file name (name-version-python-abi-platform.whl)");
    } else {
      std::optional<PythonVersion> TagVersion =
          llvm::StringRef(Tags->Python).starts_with("cp3")
              ? PythonVersion::parse("3." + Tags->Python.substr(3))
              : std::nullopt;
      bool Ok = Tags->Abi == "abi3" && TagVersion && *TagVersion == Target;
      add("tag", Ok, Path,
          "tags " + Tags->Python + "-" + Tags->Abi + "-" + Tags->Platform +
              (Ok ? "" : "; an abi3 wheel for " + Target.str() + " is tagged cp3" +
                             std::to_string(Target.Minor) + "-abi3"));
    }
    auto Buffer = llvm::MemoryBuffer::getFile(Path);
    if (!Buffer) {
      add("tag", false, Path, Buffer.getError().message());
      return;
    }
    llvm::Expected<std::vector<ZipMember>> Members =
        readZip((*Buffer)->getBuffer(), [](llvm::StringRef) { return true; });
    if (!Members) {
      add("tag", false, Path, llvm::toString(Members.takeError()));
      return;
    }
    llvm::SmallString<128> Tree;
    llvm::sys::fs::createUniqueDirectory("abi3port-wheel", Tree);
    TempDirs.push_back(std::string(Tree));
    for (const ZipMember &M : *Members) {
      llvm::SmallString<256> Out(Tree);
      llvm::sys::path::append(Out, M.Name);
      llvm::sys::fs::create_directories(llvm::sys::path::parent_path(Out));
      std::error_code EC;
      llvm::raw_fd_ostream File(Out, EC);
      if (!EC)
        File << M.Data;
      llvm::StringRef Name = M.Name;
      if (!Name.ends_with(".so"))
        continue;
      std::string Label = Path + "!" + M.Name;
      BinaryAudit A;
      auditBinary(Label, M.Data, A);
      if (Tags && Tags->Abi == "abi3" && !Name.ends_with(".abi3.so"))
        add("tag", false, Label, "an abi3 wheel holds a module not named NAME.abi3.so");
      // a/b/_c.abi3.so is the module a.b._c
      std::string Dotted = Name.take_front(Name.find('.')).str();
      std::replace(Dotted.begin(), Dotted.end(), '/', '.');
      if (!moduleNameOf(A).empty())
        Modules.push_back({Dotted, countsReferences(A), "", std::string(Tree), Label});
    }
  }

  bool checkSources(const std::vector<std::string> &Sources) {
    InputOptions Inputs = O.Inputs;
    Inputs.Files = Sources;
    Inputs.CompilerArgs = compilerArgsAfterDashDash().Args;
    Inputs.HaveCompilerArgs = compilerArgsAfterDashDash().Present;
    llvm::Expected<Frontend> FE = Frontend::create(std::move(Inputs));
    if (!FE) {
      printError(llvm::toString(FE.takeError()));
      return false;
    }
    for (size_t I = 0; I < FE->files().size(); ++I) {
      const std::string &File = FE->files()[I];
      if (auto B = llvm::MemoryBuffer::getFile(File))
        SourceTexts[File] = (*B)->getBuffer().str();
      bool Defines = llvm::StringRef(SourceTexts[File]).contains("define Py_LIMITED_API");
      std::vector<std::string> Args = {"-w", "-ferror-limit=0"};
      if (!Defines)
        Args.push_back("-DPy_LIMITED_API=" + Target.hexString());
      bool Ran = true;
      unsigned Errors = 0;
      for (const CompilerDiagnostic &D : FE->diagnose(I, {}, Args, Ran))
        if (D.Error) {
          ++Errors;
          add("compile", false, File, D.text());
        }
      if (Ran && !Errors)
        add("compile", true, File,
            "compiles with Py_LIMITED_API=" + Target.str() +
                (Defines ? " (defined in the file)" : " (defined on the command line)"));
      if (!Ran)
        add("compile", false, File, "the compiler could not run");
    }
    return true;
  }

  std::optional<llvm::json::Value> surface(const Interpreter &P, const Loadable &M,
                                           bool Leaks, std::string &Error) {
    std::vector<std::string> Args = {"-c", SurfaceScript, M.Name};
    if (M.Path.empty())
      Args.insert(Args.end(), {"--sys-path", M.SysPath});
    else
      Args.push_back(M.Path);
    if (Leaks)
      Args.insert(Args.end(), {"--leaks", std::to_string(LeakRounds)});
    Run R = runProgram(P.Exe, Args);
    llvm::Expected<llvm::json::Value> V = llvm::json::parse(llvm::StringRef(R.Out).trim());
    if (!V) {
      llvm::consumeError(V.takeError());
      Error = "the interpreter failed (status " + std::to_string(R.Status) + "): " +
              llvm::StringRef(R.Err).trim().rsplit('\n').second.str();
      if (Error.size() < 40)
        Error += llvm::StringRef(R.Err).trim().str();
      return std::nullopt;
    }
    if (auto E = V->getAsObject()->getString("error")) {
      Error = E->str();
      return std::nullopt;
    }
    return std::move(*V);
  }

  std::optional<Loadable> baselineModule() {
    if (O.Baseline.empty())
      return std::nullopt;
    auto Buffer = llvm::MemoryBuffer::getFile(O.Baseline);
    if (!Buffer)
      return std::nullopt;
    llvm::Expected<BinaryAudit> A = auditSharedObject(O.Baseline, (*Buffer)->getBuffer());
    if (!A) {
      llvm::consumeError(A.takeError());
      return std::nullopt;
    }
    return Loadable{moduleNameOf(*A), countsReferences(*A), O.Baseline, "", O.Baseline};
  }

  int runTest(const Interpreter &P, const std::string &Dir) {
    std::vector<std::string> Env;
    for (char **E = environ; *E; ++E)
      if (!llvm::StringRef(*E).starts_with("PYTHONPATH=") &&
          !llvm::StringRef(*E).starts_with("PYTHON="))
        Env.push_back(*E);
    Env.push_back("PYTHON=" + P.Exe);
    Env.push_back("PYTHONPATH=" + Dir);
    return runProgram("/bin/sh", {"-c", O.Test}, Env).Status;
  }

  /// The directory to put on PYTHONPATH for the module, absolute: the test
  /// command may change directory.
  std::string dirOf(const Loadable &M) {
    llvm::SmallString<256> Dir(M.Path.empty() ? M.SysPath
                                              : llvm::sys::path::parent_path(M.Path).str());
    if (Dir.empty())
      Dir = ".";
    llvm::sys::fs::make_absolute(Dir);
    return std::string(Dir);
  }

  void checkInterpreters(const std::vector<Loadable> &Modules) {
    std::vector<std::string> Exes = O.Pythons.empty() ? discoverPythons() : O.Pythons;
    std::vector<Interpreter> Pythons;
    for (const std::string &Exe : Exes) {
      std::optional<Interpreter> P = probe(Exe);
      if (!P) {
        add("import", false, Exe, "not a Python interpreter that runs");
        continue;
      }
      if (P->Version < Target)
        continue; // below the target: the module is not for it
      Pythons.push_back(*P);
    }
    if (Pythons.empty())
      add("import", false, "interpreters",
          "no interpreter at or above " + Target.str() + " to import the module in");
    std::optional<Loadable> Baseline = baselineModule();
    for (const Loadable &M : Modules)
      for (const Interpreter &P : Pythons)
        checkUnder(P, M, Baseline);
  }

  void checkUnder(const Interpreter &P, const Loadable &M, const std::optional<Loadable> &Baseline) {
    std::string Subject = M.Label + " under " + P.Exe + " (" + P.Version.str() +
                          (P.Debug ? ", debug" : "") + ")";
    std::string Error;
    std::optional<llvm::json::Value> Port = surface(P, M, P.Debug, Error);
    if (!Port) {
      add("import", false, Subject, Error);
      return;
    }
    add("import", true, Subject, "imports");
    const llvm::json::Object &PO = *Port->getAsObject();
    if (const llvm::json::Object *L = PO.getObject("leaks")) {
      int64_t Refs = L->getInteger("refs").value_or(0), Blocks = L->getInteger("blocks").value_or(0);
      bool Flat = Blocks <= LeakTolerance && (!M.CountsReferences || Refs <= LeakTolerance);
      add("leaks", Flat, Subject,
          llvm::formatv("{0} rounds of import, use and collect (the least of three runs): "
                        "allocated blocks {1:+}, references {2:+}{3}{4}",
                        LeakRounds, Blocks, Refs,
                        M.CountsReferences ? ""
                                           : " (not counted: built against release headers, "
                                             "its reference changes are not in the total)",
                        Flat ? "" : "; it leaks")
              .str());
    }
    std::string BaselineError;
    std::optional<llvm::json::Value> Base =
        Baseline ? surface(P, *Baseline, false, BaselineError) : std::nullopt;
    if (Baseline && Base) {
      std::vector<std::string> Diff;
      diffJson(*Base->getAsObject()->get("surface"), *PO.get("surface"), "module", Diff);
      add("surface", Diff.empty(), Subject,
          Diff.empty() ? "exposes what the baseline exposes (types, names, __module__, __mro__, "
                         "flags, instantiability, attributes)"
                       : llvm::join(Diff.begin(), Diff.begin() + std::min<size_t>(Diff.size(), 8),
                                    "; "));
    } else if (Baseline) {
      add("surface", true, Subject, "note: the baseline does not load here (" + BaselineError +
                                        "); not compared");
    }
    if (O.Test.empty())
      return;
    int Status = runTest(P, dirOf(M));
    std::optional<int> BaseStatus;
    if (Baseline && Base)
      BaseStatus = runTest(P, dirOf(*Baseline));
    bool Ok = BaseStatus ? (Status == 0 || Status == *BaseStatus) : Status == 0;
    add("test", Ok, Subject,
        "--test exits " + std::to_string(Status) +
            (BaseStatus ? " (the baseline's run: " + std::to_string(*BaseStatus) +
                              (Status == *BaseStatus && Status ? "; the same failure" : "") + ")"
                        : ""));
  }

  void write() {
    if (O.Format == "json") {
      llvm::json::Array Items;
      for (const Check &C : Checks)
        Items.push_back(llvm::json::Object{
            {"kind", C.Kind}, {"ok", C.Ok}, {"subject", C.Subject}, {"detail", C.Detail}});
      llvm::json::Object Root{{"tool", "abi3port"},
                              {"target", Target.str()},
                              {"ok", llvm::all_of(Checks, [](const Check &C) { return C.Ok; })},
                              {"checks", std::move(Items)}};
      llvm::outs() << llvm::formatv("{0:2}", llvm::json::Value(std::move(Root))) << "\n";
    } else {
      unsigned Failed = 0;
      for (const Check &C : Checks) {
        Failed += !C.Ok;
        llvm::outs() << (C.Ok ? "ok    " : "FAIL  ") << C.Kind << ": " << C.Subject << ": "
                     << C.Detail << "\n";
      }
      llvm::outs() << (Failed ? "verify: " + std::to_string(Failed) + " check" +
                                    (Failed == 1 ? "" : "s") + " failed"
                              : std::string("verify: everything holds"))
                   << " (target " << Target.str() << ")\n";
    }
    for (const std::string &Dir : TempDirs)
      llvm::sys::fs::remove_directories(Dir);
  }

  const VerifyOptions &O;
  PythonVersion Target;
  std::vector<Check> Checks;
  std::map<std::string, std::string> SourceTexts;
  std::vector<std::string> TempDirs;
};

int runVerify(VerifyOptions &Options) {
  std::optional<PythonVersion> Target = parseTarget(Options.Target);
  if (!Target)
    return 2;
  return Verifier(Options, *Target).run();
}

} // namespace

CLI::App *addVerifyCommand(CLI::App &App, std::function<int()> &Run) {
  static VerifyOptions Options;
  CLI::App *Command = App.add_subcommand(
      "verify", "check a built module, a wheel or sources as an abi3 build must hold");
  Command->add_option("--target", Options.Target, "oldest Python the build must support");
  Command->add_option("-p", Options.Inputs.BuildDir, "build directory (for SOURCES)");
  Command->add_option("--python-include", Options.Inputs.PythonInclude,
                      "CPython include directory (for SOURCES)");
  Command->add_option("--python", Options.Pythons,
                      "an interpreter to import the module in (repeatable; default: all found)")
      ->allow_extra_args(false);
  Command->add_option("--baseline", Options.Baseline,
                      "the original (full-API) build of the module, to compare with");
  Command->add_option("--test", Options.Test,
                      "a test command, run with $PYTHON and $PYTHONPATH set per interpreter");
  Command->add_option("--format", Options.Format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  Command->add_option("INPUT", Options.Paths, "a .so, a .whl, or source files")->required();
  Command->callback([&Run] { Run = [] { return runVerify(Options); }; });
  return Command;
}

} // namespace abi3port
