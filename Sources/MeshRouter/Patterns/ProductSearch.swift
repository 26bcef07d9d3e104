/// Breadth-first search over the product of several DFAs run on the same word.
///
/// The search visits words by length, then in alphabet order, so the first word found is a
/// shortest one and uses the readable OTHER byte wherever it can. Each product state is
/// visited once, so the cost is O(reachable product states x alphabet size).
struct ProductSearch {
    let alphabet: PathAlphabet
    let automata: [PathDFA]
    /// Product states explored before the search gives up (nil: unbounded). The pairwise
    /// inclusion product is small (about |A| x |B| x 15) and runs unbounded; only the
    /// many-automata witness search of shadow analysis sets a budget.
    var budget: Int?

    /// The outcome of ``run(stopAt:record:)``.
    struct Outcome {
        /// The word at which `stopAt` held, if any.
        var stopped: [UInt8]?
        /// The first word at which `record` held, if any.
        var recorded: [UInt8]?
        /// Whether the budget ran out before the search finished.
        var exhausted = false
    }

    /// Explores the product. `prune` says a state can lead nowhere useful (e.g. the inner
    /// pattern is dead); `stopAt` ends the search at the first word whose acceptance
    /// vector satisfies it; `record` remembers the first word satisfying it. The closures
    /// get buffers that are reused from state to state.
    func run(prune: ([Int32]) -> Bool, stopAt: ([Bool]) -> Bool, record: ([Bool]) -> Bool = { _ in false }) -> Outcome {
        let count = automata.count
        // A product state is stored flat (`count` entries per state) and keyed by one Int
        // in mixed radix when the product of the automata sizes fits, which it does for
        // the pairwise checks; only wide witness searches fall back to array keys.
        var radix: [Int] = []
        var packable = true
        var scale = 1
        for automaton in automata {
            radix.append(scale)
            let (product, overflow) = scale.multipliedReportingOverflow(by: automaton.accepting.count)
            if overflow {
                packable = false
                break
            }
            scale = product
        }
        var packedIndex: [Int: Int32] = [0: 0]
        var arrayIndex: [[Int32]: Int32] = [:]
        var flat = [Int32](repeating: 0, count: count)
        if !packable { arrayIndex[flat] = 0 }
        var parents: [(state: Int32, symbol: Int32)] = [(-1, -1)]
        var current = [Int32](repeating: 0, count: count)
        var next = current
        var accepts = [Bool](repeating: false, count: count)
        var outcome = Outcome()
        var cursor = 0
        while cursor < parents.count {
            for position in 0..<count {
                current[position] = flat[cursor * count + position]
                accepts[position] = automata[position].accepting[Int(current[position])]
            }
            if stopAt(accepts) {
                outcome.stopped = word(to: cursor, parents: parents)
                return outcome
            }
            if outcome.recorded == nil, record(accepts) {
                outcome.recorded = word(to: cursor, parents: parents)
            }
            let state = Int32(cursor)
            cursor += 1
            if prune(current) { continue }
            for symbol in 0..<alphabet.symbols.count {
                var key = 0
                for position in 0..<count {
                    next[position] = automata[position].next(current[position], symbol)
                    if packable { key += Int(next[position]) * radix[position] }
                }
                let id = Int32(parents.count)
                if packable {
                    guard packedIndex[key] == nil else { continue }
                    packedIndex[key] = id
                } else {
                    guard arrayIndex[next] == nil else { continue }
                    arrayIndex[next] = id
                }
                flat.append(contentsOf: next)
                parents.append((state, Int32(symbol)))
            }
            if let budget, parents.count > budget {
                outcome.exhausted = true
                return outcome
            }
        }
        return outcome
    }

    private func word(to state: Int, parents: [(state: Int32, symbol: Int32)]) -> [UInt8] {
        var bytes: [UInt8] = []
        var current = state
        while parents[current].state >= 0 {
            bytes.append(alphabet.symbols[Int(parents[current].symbol)])
            current = Int(parents[current].state)
        }
        return bytes.reversed()
    }
}
