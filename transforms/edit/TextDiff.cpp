#include "transforms/edit/TextDiff.h"

#include "llvm/ADT/SmallVector.h"
#include <algorithm>
#include <vector>

namespace abi3port {
namespace {

/// Lines with their "\n" (the last may have none).
std::vector<llvm::StringRef> linesOf(llvm::StringRef Text) {
  std::vector<llvm::StringRef> Lines;
  while (!Text.empty()) {
    size_t End = Text.find('\n');
    End = End == llvm::StringRef::npos ? Text.size() : End + 1;
    Lines.push_back(Text.take_front(End));
    Text = Text.drop_front(End);
  }
  return Lines;
}

enum class Op { Keep, Remove, Add };

/// The shortest edit script from A to B (Myers 1986), as one Op per line
/// kept, removed or added. Past `MaxD` differences, every line of A is
/// removed and every line of B added: still a correct diff.
std::vector<Op> editScript(const std::vector<llvm::StringRef> &A,
                           const std::vector<llvm::StringRef> &B, long MaxD = 4000) {
  long N = A.size(), M = B.size(), Max = std::min(N + M, MaxD);
  std::vector<long> V(2 * Max + 2, 0);
  std::vector<std::vector<long>> Trace;
  long Offset = Max + 1;
  bool Found = false;
  for (long D = 0; D <= Max && !Found; ++D) {
    Trace.push_back(V);
    for (long K = -D; K <= D; K += 2) {
      long X = (K == -D || (K != D && V[Offset + K - 1] < V[Offset + K + 1]))
                   ? V[Offset + K + 1]
                   : V[Offset + K - 1] + 1;
      long Y = X - K;
      while (X < N && Y < M && A[X] == B[Y])
        ++X, ++Y;
      V[Offset + K] = X;
      if (X >= N && Y >= M) {
        Found = true;
        break;
      }
    }
  }
  std::vector<Op> Script;
  if (!Found) {
    Script.assign(N, Op::Remove);
    Script.insert(Script.end(), M, Op::Add);
    return Script;
  }
  // Walk back through the trace.
  long X = N, Y = M;
  for (long D = long(Trace.size()) - 1; D >= 0; --D) {
    const std::vector<long> &Prev = Trace[D];
    long K = X - Y;
    long PrevK = (K == -D || (K != D && Prev[Offset + K - 1] < Prev[Offset + K + 1])) ? K + 1
                                                                                      : K - 1;
    long PrevX = D == 0 ? 0 : Prev[Offset + PrevK];
    long PrevY = PrevX - PrevK;
    while (X > PrevX && Y > PrevY) {
      Script.push_back(Op::Keep);
      --X, --Y;
    }
    if (D > 0)
      Script.push_back(X == PrevX ? Op::Add : Op::Remove);
    X = PrevX, Y = PrevY;
  }
  std::reverse(Script.begin(), Script.end());
  return Script;
}

void emitLine(std::string &Out, char Mark, llvm::StringRef Line) {
  Out += Mark;
  Out += Line.str();
  if (!Line.ends_with("\n"))
    Out += "\n\\ No newline at end of file\n";
}

std::string range(size_t Start, size_t Length) {
  // An empty range names the line before it (GNU diff's convention).
  return std::to_string(Length ? Start + 1 : Start) + "," + std::to_string(Length);
}

} // namespace

std::string unifiedTextHunks(llvm::StringRef Old, llvm::StringRef New) {
  if (Old == New)
    return "";
  std::vector<llvm::StringRef> A = linesOf(Old), B = linesOf(New);
  std::vector<Op> Script = editScript(A, B);
  const size_t Context = 3;
  // Positions of each script entry in A and B.
  std::vector<size_t> AtA(Script.size() + 1), AtB(Script.size() + 1);
  for (size_t I = 0; I < Script.size(); ++I) {
    AtA[I + 1] = AtA[I] + (Script[I] != Op::Add);
    AtB[I + 1] = AtB[I] + (Script[I] != Op::Remove);
  }
  std::string Out;
  size_t I = 0;
  while (I < Script.size()) {
    if (Script[I] == Op::Keep) {
      ++I;
      continue;
    }
    // A hunk: from Context lines before this change to Context lines after
    // the last change closer than 2 * Context to the previous one.
    size_t Begin = I >= Context ? I - Context : 0; // past the previous hunk's end
    size_t End = I;
    for (size_t J = I; J < Script.size(); ++J) {
      if (Script[J] != Op::Keep) {
        End = J + 1;
        continue;
      }
      if (J - End >= 2 * Context)
        break;
    }
    size_t Stop = std::min(Script.size(), End + Context);
    Out += "@@ -" + range(AtA[Begin], AtA[Stop] - AtA[Begin]) + " +" +
           range(AtB[Begin], AtB[Stop] - AtB[Begin]) + " @@\n";
    for (size_t J = Begin; J < Stop; ++J)
      switch (Script[J]) {
      case Op::Keep: emitLine(Out, ' ', A[AtA[J]]); break;
      case Op::Remove: emitLine(Out, '-', A[AtA[J]]); break;
      case Op::Add: emitLine(Out, '+', B[AtB[J]]); break;
      }
    I = Stop;
  }
  return Out;
}

std::string unifiedTextDiff(llvm::StringRef Old, llvm::StringRef New, llvm::StringRef Path) {
  std::string Hunks = unifiedTextHunks(Old, New);
  if (Hunks.empty())
    return "";
  return "diff --git a/" + Path.str() + " b/" + Path.str() + "\n--- a/" + Path.str() +
         "\n+++ b/" + Path.str() + "\n" + Hunks;
}

} // namespace abi3port
