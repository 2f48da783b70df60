#include "transforms/lsp/LspServer.h"
#include "transforms/Check.h"
#include "transforms/Output.h"
#include "transforms/Port.h"
#include "transforms/Registry.h"
#include "transforms/SourceMapping.h"
#include "transforms/api/SurfaceCache.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unistd.h>

namespace abi3port {

using llvm::json::Array;
using llvm::json::Object;
using llvm::json::Value;

//===----------------------------------------------------------------------===//
// Framing, positions, URIs
//===----------------------------------------------------------------------===//

std::string frameMessage(const Value &Message) {
  std::string Body = llvm::formatv("{0}", Message).str();
  return "Content-Length: " + std::to_string(Body.size()) + "\r\n\r\n" + Body;
}

namespace {

/// Length of the UTF-8 sequence starting with byte C (1 for invalid bytes).
unsigned sequenceLength(unsigned char C) {
  return C < 0x80 ? 1 : (C >> 5) == 6 ? 2 : (C >> 4) == 14 ? 3 : (C >> 3) == 30 ? 4 : 1;
}

unsigned lineStart(llvm::StringRef Text, unsigned Line) {
  size_t At = 0;
  for (unsigned L = 0; L < Line; ++L) {
    size_t NewLine = Text.find('\n', At);
    if (NewLine == llvm::StringRef::npos)
      return Text.size();
    At = NewLine + 1;
  }
  return At;
}

} // namespace

unsigned offsetOfPosition(llvm::StringRef Text, unsigned Line, unsigned Character, bool Utf8) {
  unsigned At = lineStart(Text, Line);
  for (unsigned Units = 0; At < Text.size() && Text[At] != '\n' && Units < Character;) {
    unsigned Length = sequenceLength(Text[At]);
    Units += Utf8 ? Length : (Length == 4 ? 2 : 1);
    At += Length;
  }
  return std::min<unsigned>(At, Text.size());
}

std::pair<unsigned, unsigned> positionOfOffset(llvm::StringRef Text, unsigned Offset, bool Utf8) {
  Offset = std::min<unsigned>(Offset, Text.size());
  size_t Start = Text.take_front(Offset).rfind('\n');
  Start = Start == llvm::StringRef::npos ? 0 : Start + 1;
  unsigned Line = Text.take_front(Start).count('\n');
  unsigned Units = 0;
  for (size_t At = Start; At < Offset;) {
    unsigned Length = sequenceLength(Text[At]);
    Units += Utf8 ? Length : (Length == 4 ? 2 : 1);
    At += Length;
  }
  return {Line, Units};
}

std::string uriOfPath(llvm::StringRef Path) {
  std::string Uri = "file://";
  for (char C : Path) {
    if (llvm::isAlnum(C) || llvm::StringRef("/-_.~").contains(C))
      Uri += C;
    else
      Uri += "%" + llvm::utohexstr((unsigned char)C, /*LowerCase=*/false, /*Width=*/2);
  }
  return Uri;
}

std::string pathOfUri(llvm::StringRef Uri) {
  if (!Uri.consume_front("file://"))
    return "";
  std::string Path;
  for (size_t I = 0; I < Uri.size(); ++I) {
    unsigned Byte = 0;
    if (Uri[I] == '%' && I + 2 < Uri.size() + 0 && !Uri.substr(I + 1, 2).getAsInteger(16, Byte)) {
      Path += char(Byte);
      I += 2;
    } else {
      Path += Uri[I];
    }
  }
  return Path;
}

namespace {

//===----------------------------------------------------------------------===//
// The server
//===----------------------------------------------------------------------===//

enum ErrorCode {
  ParseError = -32700,
  InvalidRequest = -32600,
  MethodNotFound = -32601,
  InvalidParams = -32602,
  InternalError = -32603,
  ServerNotInitialized = -32002,
  RequestFailed = -32803,
};

struct Document {
  std::string Uri, Path, Text;
  int64_t Version = 0;
};

/// What one analysis of a document's text found.
struct Analysis {
  int64_t Version = -1;
  std::string Text;
  std::vector<Finding> Findings; ///< check's, original positions
  std::optional<PortResult> Port;
  std::string Failure;           ///< why there are no findings
  std::set<std::string> Published; ///< URIs diagnostics went to
  /// Texts of the other files of the unit, as parsed (for positions).
  std::map<std::string, std::string> Texts;
};

class Server {
public:
  Server(const LspOptions &Options, std::function<void(const std::string &)> Send)
      : Options(Options), Send(std::move(Send)) {}

  /// The reader's side: one message body (or a framing error).
  void receive(std::string Body) {
    std::lock_guard<std::mutex> Lock(Mutex);
    Queue.push_back(std::move(Body));
    Wake.notify_one();
  }
  void inputClosed() {
    std::lock_guard<std::mutex> Lock(Mutex);
    InputClosed = true;
    Wake.notify_one();
  }

  /// The worker: handles messages in order, and analyses documents when
  /// their debounce time comes. Returns the exit status.
  int work() {
    for (;;) {
      std::string Message;
      std::string DueUri;
      {
        std::unique_lock<std::mutex> Lock(Mutex);
        for (;;) {
          if (!Queue.empty()) {
            Message = std::move(Queue.front());
            Queue.pop_front();
            break;
          }
          if (Exited || (InputClosed && Queue.empty()))
            return Exited && ShutDown ? 0 : 1;
          auto Due = earliestDue();
          if (Due && Due->second <= Clock::now()) {
            DueUri = Due->first;
            Dirty.erase(DueUri);
            break;
          }
          if (Due)
            Wake.wait_until(Lock, Due->second);
          else
            Wake.wait(Lock);
        }
      }
      if (!DueUri.empty())
        analyseAndPublish(DueUri);
      else
        handle(Message);
    }
  }

private:
  using Clock = std::chrono::steady_clock;

  std::optional<std::pair<std::string, Clock::time_point>> earliestDue() const {
    std::optional<std::pair<std::string, Clock::time_point>> Best;
    for (const auto &[Uri, When] : Dirty)
      if (!Best || When < Best->second)
        Best = {Uri, When};
    return Best;
  }

  void schedule(const std::string &Uri, unsigned DelayMs) {
    std::lock_guard<std::mutex> Lock(Mutex);
    Dirty[Uri] = Clock::now() + std::chrono::milliseconds(DelayMs);
  }

  bool messagesWaiting() {
    std::lock_guard<std::mutex> Lock(Mutex);
    return !Queue.empty();
  }

  // -- messages ------------------------------------------------------------

  void handle(const std::string &Body) {
    llvm::Expected<Value> Parsed = llvm::json::parse(Body);
    if (!Parsed) {
      std::string Why = llvm::toString(Parsed.takeError());
      replyError(nullptr, ParseError, "malformed JSON: " + Why);
      return;
    }
    const Object *Message = Parsed->getAsObject();
    if (!Message) {
      replyError(nullptr, InvalidRequest, "a message must be a JSON object");
      return;
    }
    std::optional<llvm::StringRef> Method = Message->getString("method");
    const Value *Id = Message->get("id");
    if (!Method) {
      if (!Id) // a response to nothing we asked: ignore; anything else is wrong
        replyError(nullptr, InvalidRequest, "a message without 'method'");
      return;
    }
    Value Params = Message->get("params") ? *Message->get("params") : Value(Object{});
    if (Id)
      handleRequest(*Id, *Method, Params);
    else
      handleNotification(*Method, Params);
  }

  void handleRequest(const Value &Id, llvm::StringRef Method, const Value &Params) {
    if (Method == "initialize")
      return reply(Id, initialize(Params));
    if (!Initialized)
      return replyError(Id, ServerNotInitialized, "initialize first");
    if (ShutDown)
      return replyError(Id, InvalidRequest, "the server is shutting down");
    if (Method == "shutdown") {
      ShutDown = true;
      return reply(Id, nullptr);
    }
    if (Method == "textDocument/codeAction")
      return reply(Id, codeActions(Params));
    replyError(Id, MethodNotFound, "method not handled: " + Method.str());
  }

  void handleNotification(llvm::StringRef Method, const Value &Params) {
    if (Method == "exit") {
      Exited = true;
      return;
    }
    if (!Initialized)
      return;
    const Object *P = Params.getAsObject();
    const Object *Doc = P ? P->getObject("textDocument") : nullptr;
    std::optional<llvm::StringRef> Uri = Doc ? Doc->getString("uri") : std::nullopt;
    if (!Uri)
      return;
    if (Method == "textDocument/didOpen") {
      Document &D = Documents[Uri->str()];
      D.Uri = Uri->str();
      D.Path = pathOfUri(*Uri);
      D.Text = Doc->getString("text").value_or("").str();
      D.Version = Doc->getInteger("version").value_or(0);
      return schedule(D.Uri, 0);
    }
    auto It = Documents.find(Uri->str());
    if (It == Documents.end())
      return;
    if (Method == "textDocument/didChange") {
      const Array *Changes = P->getArray("contentChanges");
      if (Changes)
        for (const Value &C : *Changes)
          if (const Object *Change = C.getAsObject())
            applyChange(It->second, *Change);
      It->second.Version = Doc->getInteger("version").value_or(It->second.Version + 1);
      return schedule(It->second.Uri, Options.DebounceMs);
    }
    if (Method == "textDocument/didSave")
      return schedule(It->second.Uri, 0);
    if (Method == "textDocument/didClose") {
      for (const std::string &Published : Analyses[It->first].Published)
        publish(Published, Array{});
      Analyses.erase(It->first);
      Documents.erase(It);
    }
  }

  /// A whole-text change, or a ranged one (clients may send either).
  void applyChange(Document &D, const Object &Change) {
    std::string Text = Change.getString("text").value_or("").str();
    const Object *Range = Change.getObject("range");
    if (!Range) {
      D.Text = std::move(Text);
      return;
    }
    auto Offset = [&](const char *Key) {
      const Object *P = Range->getObject(Key);
      return offsetOfPosition(D.Text, P ? P->getInteger("line").value_or(0) : 0,
                              P ? P->getInteger("character").value_or(0) : 0, Utf8);
    };
    unsigned Begin = Offset("start"), End = std::max(Begin, Offset("end"));
    D.Text = D.Text.substr(0, Begin) + Text + D.Text.substr(End);
  }

  Value initialize(const Value &Params) {
    Initialized = true;
    const Object *P = Params.getAsObject();
    const Object *Caps = P ? P->getObject("capabilities") : nullptr;
    auto Offers = [](const Array *List, llvm::StringRef What) {
      return List && llvm::any_of(*List, [&](const Value &V) { return V.getAsString() == What; });
    };
    const Object *General = Caps ? Caps->getObject("general") : nullptr;
    const Array *Encodings = General ? General->getArray("positionEncodings") : nullptr;
    const Array *Legacy = Caps ? Caps->getArray("offsetEncoding") : nullptr; // clangd's
    Utf8 = Offers(Encodings, "utf-8") || Offers(Legacy, "utf-8");
    if (const Object *Init = P ? P->getObject("initializationOptions") : nullptr) {
      if (auto Target = Init->getString("target"))
        Options.Target = Target->str();
      if (auto State = Init->getString("state"))
        Options.State = State->str();
    }
    std::optional<PythonVersion> Target = PythonVersion::parse(Options.Target);
    this->Target = Target ? *Target : DefaultTarget;
    Object Capabilities{
        {"positionEncoding", Utf8 ? "utf-8" : "utf-16"},
        {"textDocumentSync",
         Object{{"openClose", true}, {"change", 2}, {"save", Object{{"includeText", false}}}}},
        {"codeActionProvider", Object{{"codeActionKinds", Array{"quickfix", "source"}}}}};
    Object Result{{"capabilities", std::move(Capabilities)},
                  {"serverInfo", Object{{"name", "abi3port"}, {"version", "0.1.0"}}}};
    if (Legacy)
      Result["offsetEncoding"] = Utf8 ? "utf-8" : "utf-16";
    return Result;
  }

  // -- analysis ------------------------------------------------------------

  /// The knowledge of the target for a CPython include directory.
  const ApiKnowledge *knowledgeFor(const std::string &Include, std::string &Error) {
    auto It = Knowledge.find(Include);
    if (It != Knowledge.end())
      return It->second.get();
    llvm::Expected<LimitedSurface> Surface = cachedLimitedSurface(Include, Target);
    if (!Surface) {
      Error = llvm::toString(Surface.takeError());
      return nullptr;
    }
    auto K = std::make_unique<ApiKnowledge>(std::move(*Surface));
    return (Knowledge[Include] = std::move(K)).get();
  }

  llvm::Expected<Frontend> frontendFor(const Document &D) {
    InputOptions Inputs;
    Inputs.Files = {D.Path};
    Inputs.BuildDir = Options.BuildDir;
    Inputs.PythonInclude = Options.PythonInclude;
    Inputs.Jobs = 1; // crash recovery is per thread
    for (const auto &[Uri, Open] : Documents)
      Inputs.Overlay[Open.Path] = Open.Text;
    return Frontend::create(std::move(Inputs));
  }

  StateMode stateMode() const {
    if (Options.State == "global" || (Options.State.empty() && Target < ModuleStateMinimum))
      return StateMode::Global;
    return StateMode::Module;
  }

  /// Runs `Work` so that a crash in it does not take the server down.
  bool runSafely(const std::function<void()> &Work) {
    llvm::CrashRecoveryContext Context;
    return Context.RunSafely(Work);
  }

  /// The Frontend and knowledge for the document's current text, or why not.
  struct Inputs {
    std::optional<Frontend> FE;
    const ApiKnowledge *Knowledge = nullptr;
  };
  Inputs inputsFor(const Document &D, std::string &Failure) {
    Inputs In;
    llvm::Expected<Frontend> FE = frontendFor(D);
    if (!FE) {
      Failure = llvm::toString(FE.takeError());
      return In;
    }
    In.Knowledge = knowledgeFor(FE->pythonInclude(), Failure);
    In.FE.emplace(std::move(*FE));
    return In;
  }

  PortRequest portRequest(const Document &D) const {
    PortRequest Request;
    Request.Rules = *selectRules("all");
    Request.State = stateMode();
    Request.WorkingDir = llvm::sys::path::parent_path(D.Path).str();
    return Request;
  }

  /// Check's findings of the document's current text.
  Analysis analyse(const Document &D) {
    Analysis A;
    A.Version = D.Version;
    A.Text = D.Text;
    Inputs In = inputsFor(D, A.Failure);
    if (!In.Knowledge)
      return A;
    bool Ok = runSafely([&] {
      CheckResult Result = checkFiles(*In.FE, *In.Knowledge);
      if (!Result.Failures.empty())
        A.Failure = "does not parse: " + Result.Failures.front().FirstError;
      else
        A.Findings = std::move(Result.Findings);
    });
    if (!Ok) {
      A.Findings.clear();
      A.Failure = "abi3port crashed on this file; please report it with the file";
    }
    return A;
  }

  /// Adds the self-verified port of the analysed text: the quick fixes.
  void addPort(const Document &D, Analysis &A) {
    if (!A.Failure.empty() || A.Port)
      return;
    std::string Failure;
    Inputs In = inputsFor(D, Failure);
    if (!In.Knowledge)
      return;
    PortResult Result;
    if (runSafely([&] { Result = portFiles(*In.FE, *In.Knowledge, portRequest(D)); }))
      A.Port = std::move(Result);
    else
      A.Failure = "abi3port crashed porting this file; please report it with the file";
  }

  void analyseAndPublish(const std::string &Uri) {
    auto Doc = Documents.find(Uri);
    if (Doc == Documents.end())
      return;
    Analysis A = analyse(Doc->second);
    A.Published = Analyses[Uri].Published;
    publishAnalysis(Doc->second, A);
    if (!messagesWaiting()) { // then the port: quick fixes and their reasons
      addPort(Doc->second, A);
      publishAnalysis(Doc->second, A);
    } else {
      schedule(Uri, Options.DebounceMs);
    }
    Analyses[Uri] = std::move(A);
  }

  /// The text positions of a file of the unit refer to.
  const std::string &textOf(Analysis &A, const std::string &Path) {
    auto Open = llvm::find_if(Documents, [&](const auto &D) { return D.second.Path == Path; });
    if (Open != Documents.end())
      return Open->second.Text;
    auto It = A.Texts.find(Path);
    if (It == A.Texts.end()) {
      std::string Text;
      if (auto Buffer = llvm::MemoryBuffer::getFile(Path))
        Text = (*Buffer)->getBuffer().str();
      It = A.Texts.emplace(Path, std::move(Text)).first;
    }
    return It->second;
  }

  Object range(llvm::StringRef Text, unsigned Begin, unsigned End) const {
    auto [L1, C1] = positionOfOffset(Text, Begin, Utf8);
    auto [L2, C2] = positionOfOffset(Text, End, Utf8);
    return Object{{"start", Object{{"line", L1}, {"character", C1}}},
                  {"end", Object{{"line", L2}, {"character", C2}}}};
  }

  Object findingRange(Analysis &A, const SourcePosition &P) {
    const std::string &Text = textOf(A, P.File);
    LineTable Lines(Text);
    unsigned Begin = Lines.offsetOf(P.Line, P.Column);
    unsigned End = std::max(Begin, Lines.offsetOf(P.EndLine, P.EndColumn) + 1);
    return range(Text, Begin, std::min<unsigned>(End, Text.size()));
  }

  std::string ruleHref(llvm::StringRef Rule) const {
    if (!Options.DocsDir.empty())
      return uriOfPath(Options.DocsDir + "/rules/" + Rule.str() + ".md");
    return "https://abi3port.invalid/docs/rules/" + Rule.str() + ".md";
  }

  /// Why the port offers no fix for a fixable finding: the verification's
  /// reason at its line, if any.
  std::string withdrawnBecause(const Analysis &A, const Finding &F) const {
    if (!A.Port)
      return "";
    for (const Finding &R : A.Port->Report) {
      const SourcePosition &P = R.OriginalPos ? *R.OriginalPos : R.Pos;
      if (P.File == F.Pos.File && P.Line <= F.Pos.Line && F.Pos.Line <= P.EndLine &&
          llvm::StringRef(R.Message).starts_with("not rewritten"))
        return R.Message;
    }
    return "the port leaves this site as it is";
  }

  Object diagnosticOf(Analysis &A, const Finding &F) {
    Object D{{"range", findingRange(A, F.Pos)},
             {"severity", 2},
             {"source", "abi3port"},
             {"code", F.Rule},
             {"codeDescription", Object{{"href", ruleHref(F.Rule)}}}};
    std::string Message = F.Message;
    Object Data{{"fixable", F.Fixable}, {"blocker", F.Blocker}};
    if (A.Port && F.Fixable) {
      if (const ChangeGroup *C = changeFixing(A.Port->Changes, F)) {
        Data["changeId"] = C->Id;
        Message += " (quick fix: " + C->Id + ")";
      } else {
        Data["fixable"] = false;
        Message += " (no fix offered: " + withdrawnBecause(A, F) + ")";
      }
    } else if (F.Fixable) {
      Message += " (fixable)";
    }
    D["message"] = Message;
    D["data"] = std::move(Data);
    if (F.SpelledAt)
      D["relatedInformation"] = Array{Object{
          {"location", Object{{"uri", uriOfPath(F.SpelledAt->File)},
                              {"range", findingRange(A, *F.SpelledAt)}}},
          {"message", "the name is spelled here, in the macro's definition"}}};
    return D;
  }

  void publishAnalysis(const Document &Doc, Analysis &A) {
    std::map<std::string, Array> ByUri;
    ByUri[Doc.Uri]; // the document always gets its (maybe empty) list
    if (!A.Failure.empty())
      ByUri[Doc.Uri].push_back(Object{
          {"range", range(Doc.Text, 0, 0)},
          {"severity", 1},
          {"source", "abi3port"},
          {"message", "abi3port: " + A.Failure}});
    for (const Finding &F : A.Findings)
      ByUri[uriOfPath(F.Pos.File)].push_back(diagnosticOf(A, F));
    std::set<std::string> Before = Analyses[Doc.Uri].Published;
    for (auto &[Uri, List] : ByUri) {
      publish(Uri, std::move(List));
      A.Published.insert(Uri);
      Before.erase(Uri);
    }
    for (const std::string &Stale : Before)
      publish(Stale, Array{});
  }

  void publish(const std::string &Uri, Array Diagnostics) {
    Object Params{{"uri", Uri}, {"diagnostics", std::move(Diagnostics)}};
    auto Doc = Documents.find(Uri);
    if (Doc != Documents.end())
      Params["version"] = Doc->second.Version;
    notify("textDocument/publishDiagnostics", std::move(Params));
  }

  // -- code actions ----------------------------------------------------------

  /// The current analysis with the port, made now if the text changed.
  Analysis &current(const Document &D) {
    Analysis &A = Analyses[D.Uri];
    if (A.Version != D.Version || A.Text != D.Text) {
      std::set<std::string> Published = A.Published;
      A = analyse(D);
      A.Published = Published;
    }
    addPort(D, A);
    return A;
  }

  /// The ids a change needs, itself included, transitively.
  std::set<std::string> closure(const std::vector<ChangeGroup> &Changes, const std::string &Id) {
    std::set<std::string> Out;
    std::vector<std::string> Work = {Id};
    while (!Work.empty()) {
      std::string Next = Work.back();
      Work.pop_back();
      if (!Out.insert(Next).second)
        continue;
      for (const ChangeGroup &C : Changes)
        if (C.Id == Next)
          Work.insert(Work.end(), C.DependsOn.begin(), C.DependsOn.end());
    }
    return Out;
  }

  /// The edits of one change group and what it needs, as the port (with
  /// only those changes, self-verified) writes them: a static type's
  /// conversion brings its creation code, for that type alone.
  std::vector<RuleEdit> editsOfChange(const Document &D, Analysis &A, const ChangeGroup &C) {
    std::set<std::string> Ids = closure(A.Port->Changes, C.Id);
    bool NeedsPort = llvm::any_of(A.Port->Changes, [&](const ChangeGroup &G) {
      return Ids.count(G.Id) &&
             (llvm::StringRef(G.Unit).starts_with("type:") || G.Unit == "state");
    });
    std::vector<RuleEdit> Edits;
    if (!NeedsPort) {
      for (const ChangeGroup &G : A.Port->Changes)
        if (Ids.count(G.Id))
          Edits.insert(Edits.end(), G.Edits.begin(), G.Edits.end());
      return Edits;
    }
    std::string Failure;
    Inputs In = inputsFor(D, Failure);
    if (!In.Knowledge)
      return Edits;
    runSafely([&] {
      PortRequest Request = portRequest(D);
      Request.Selection.Only = Ids;
      PortResult Only = portFiles(*In.FE, *In.Knowledge, Request);
      for (const ChangeGroup &G : Only.Changes)
        if (G.Rule != "limited-api-macro" || Ids.count(G.Id))
          Edits.insert(Edits.end(), G.Edits.begin(), G.Edits.end());
    });
    return Edits;
  }

  Object workspaceEdit(Analysis &A, const std::vector<RuleEdit> &Edits) {
    std::map<std::string, std::vector<const RuleEdit *>> ByFile;
    for (const RuleEdit &E : Edits)
      ByFile[E.Replacement.getFilePath().str()].push_back(&E);
    Array Changes;
    for (auto &[File, List] : ByFile) {
      llvm::stable_sort(List, [](const RuleEdit *X, const RuleEdit *Y) {
        return X->Replacement.getOffset() < Y->Replacement.getOffset();
      });
      const std::string &Text = textOf(A, File);
      Array TextEdits;
      for (const RuleEdit *E : List) {
        const auto &R = E->Replacement;
        TextEdits.push_back(Object{
            {"range", range(Text, R.getOffset(), R.getOffset() + R.getLength())},
            {"newText", R.getReplacementText().str()}});
      }
      Value Version = nullptr;
      std::string Uri = uriOfPath(File);
      if (auto Doc = Documents.find(Uri); Doc != Documents.end())
        Version = Doc->second.Version;
      Changes.push_back(Object{{"textDocument", Object{{"uri", Uri}, {"version", Version}}},
                               {"edits", std::move(TextEdits)}});
    }
    return Object{{"documentChanges", std::move(Changes)}};
  }

  Value codeActions(const Value &Params) {
    const Object *P = Params.getAsObject();
    const Object *Doc = P ? P->getObject("textDocument") : nullptr;
    std::optional<llvm::StringRef> Uri = Doc ? Doc->getString("uri") : std::nullopt;
    auto It = Uri ? Documents.find(Uri->str()) : Documents.end();
    if (It == Documents.end())
      return Array{};
    const Document &D = It->second;
    Analysis &A = current(D);
    if (!A.Port)
      return Array{};
    const Object *Range = P->getObject("range");
    auto LineOf = [&](const char *Key) -> int64_t {
      const Object *Pos = Range ? Range->getObject(Key) : nullptr;
      return Pos ? Pos->getInteger("line").value_or(0) : 0;
    };
    int64_t First = LineOf("start"), Last = LineOf("end");
    Array Actions;
    std::set<std::string> Offered;
    for (const Finding &F : A.Findings) {
      if (F.Pos.File != D.Path || !F.Fixable)
        continue;
      if (int64_t(F.Pos.EndLine) - 1 < First || int64_t(F.Pos.Line) - 1 > Last)
        continue;
      const ChangeGroup *C = changeFixing(A.Port->Changes, F);
      if (!C || !Offered.insert(C->Id).second)
        continue;
      std::vector<RuleEdit> Edits = editsOfChange(D, A, *C);
      if (Edits.empty())
        continue;
      Actions.push_back(Object{{"title", "abi3port: " + C->Summary + " [" + C->Id + "]"},
                               {"kind", "quickfix"},
                               {"diagnostics", Array{diagnosticOf(A, F)}},
                               {"isPreferred", true},
                               {"edit", workspaceEdit(A, Edits)}});
    }
    std::vector<RuleEdit> All;
    for (const FileEdits &F : A.Port->Files)
      All.insert(All.end(), F.AppliedEdits.begin(), F.AppliedEdits.end());
    if (!All.empty())
      Actions.push_back(Object{{"title", "abi3port: port this file to the Limited API " +
                                             Target.str() + " (every verified change)"},
                               {"kind", "source"},
                               {"edit", workspaceEdit(A, All)}});
    return Actions;
  }

  // -- output ------------------------------------------------------------------

  void reply(const Value &Id, Value Result) {
    Send(frameMessage(Object{{"jsonrpc", "2.0"}, {"id", Id}, {"result", std::move(Result)}}));
  }
  void replyError(const Value &Id, int Code, const std::string &Message) {
    Send(frameMessage(Object{{"jsonrpc", "2.0"},
                             {"id", Id},
                             {"error", Object{{"code", Code}, {"message", Message}}}}));
  }
  void notify(llvm::StringRef Method, Object Params) {
    Send(frameMessage(
        Object{{"jsonrpc", "2.0"}, {"method", Method}, {"params", std::move(Params)}}));
  }

  LspOptions Options;
  std::function<void(const std::string &)> Send;
  PythonVersion Target = DefaultTarget;
  bool Utf8 = false, Initialized = false, ShutDown = false, Exited = false;
  std::map<std::string, Document> Documents;
  std::map<std::string, Analysis> Analyses;
  std::map<std::string, std::unique_ptr<ApiKnowledge>> Knowledge;

  std::mutex Mutex;
  std::condition_variable Wake;
  std::deque<std::string> Queue;
  std::map<std::string, Clock::time_point> Dirty; ///< uri -> when to analyse
  bool InputClosed = false;
};

/// Reads `Content-Length`-framed bodies from a file descriptor.
class Reader {
public:
  explicit Reader(int Fd) : Fd(Fd) {}

  /// The next body; nullopt at the end of the input. A message whose header
  /// is unreadable is returned as "" (a parse error for the server).
  std::optional<std::string> next() {
    std::optional<size_t> Length;
    for (;;) {
      std::optional<std::string> Line = readLine();
      if (!Line)
        return std::nullopt;
      llvm::StringRef L = llvm::StringRef(*Line).rtrim("\r");
      if (L.empty()) {
        if (Length)
          break;
        continue; // stray blank line between messages
      }
      auto [Name, Field] = L.split(':');
      size_t N = 0;
      if (Name.trim().equals_insensitive("content-length") && !Field.trim().getAsInteger(10, N))
        Length = N;
    }
    std::string Body;
    while (Body.size() < *Length) {
      if (Pos == Buffer.size() && !fill())
        return std::nullopt;
      size_t Take = std::min(*Length - Body.size(), Buffer.size() - Pos);
      Body.append(Buffer, Pos, Take);
      Pos += Take;
    }
    return Body;
  }

private:
  bool fill() {
    char Chunk[65536];
    ssize_t N;
    do
      N = ::read(Fd, Chunk, sizeof Chunk);
    while (N < 0 && errno == EINTR);
    if (N <= 0)
      return false;
    Buffer.erase(0, Pos);
    Pos = 0;
    Buffer.append(Chunk, N);
    return true;
  }

  std::optional<std::string> readLine() {
    for (;;) {
      size_t NewLine = Buffer.find('\n', Pos);
      if (NewLine != std::string::npos) {
        std::string Line = Buffer.substr(Pos, NewLine - Pos);
        Pos = NewLine + 1;
        return Line;
      }
      if (!fill())
        return std::nullopt;
    }
  }

  int Fd;
  std::string Buffer;
  size_t Pos = 0;
};

} // namespace

int serveLsp(const LspOptions &Options, int In,
             const std::function<void(const std::string &)> &Send) {
  llvm::CrashRecoveryContext::Enable();
  std::mutex SendMutex;
  auto S = std::make_shared<Server>(Options, [&Send, &SendMutex](const std::string &Message) {
    std::lock_guard<std::mutex> Lock(SendMutex);
    Send(Message);
  });
  // The reader may stay blocked in read() after `exit`: it is detached, and
  // the worker (this thread) decides when the server ends.
  std::thread([S, In] {
    Reader R(In);
    while (std::optional<std::string> Body = R.next())
      S->receive(std::move(*Body));
    S->inputClosed();
  }).detach();
  return S->work();
}

} // namespace abi3port
