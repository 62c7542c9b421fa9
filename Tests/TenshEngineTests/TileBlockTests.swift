import XCTest
@testable import TenshEngine

/// How the Winograd kernels share their tiles among threads (`forEachTileBlock`,
/// WinogradConv.swift): every (tile, output row) computed exactly once, blocks
/// no wider than asked, whole micro-panels of rows, and equal GEMM work per thread.
final class TileBlockTests: XCTestCase {
    private let nr = 32, mr = GemmShape.mr

    private func blocks(threads: Int, tiles: Int, blockCols: Int, rows: Int) -> [[TileBlock]] {
        (0..<threads).map { thread in
            var list: [TileBlock] = []
            forEachTileBlock(thread: thread, of: threads, tiles: tiles, nr: nr, blockCols: blockCols, rows: rows) {
                list.append($0)
            }
            return list
        }
    }

    func testEveryTileAndRowOnceInBlocksNoWiderThanAsked() {
        var rng = SplitMix(seed: 77)
        for trial in 0..<400 {
            let threads = 1 + rng.next(4), tiles = rng.next(trial % 5 == 0 ? 40 : 700)
            let blockCols = nr * (1 + rng.next(5)), rows = mr * (1 + rng.next(trial % 3 == 0 ? 3 : 40))
            var seen = [Int](repeating: 0, count: tiles * rows)
            for block in blocks(threads: threads, tiles: tiles, blockCols: blockCols, rows: rows).joined() {
                XCTAssertGreaterThan(block.count, 0)
                XCTAssertLessThanOrEqual(block.count, blockCols)
                XCTAssertEqual(block.first % nr, 0, "blocks start on a panel")
                XCTAssertEqual(block.rows.lowerBound % mr, 0)
                XCTAssertTrue(block.rows.upperBound % mr == 0 && block.rows.upperBound <= rows)
                for t in block.first..<block.first + block.count {
                    for r in block.rows { seen[t * rows + r] += 1 }
                }
            }
            XCTAssertEqual(seen.filter { $0 != 1 }.count, 0,
                           "\(threads) threads, \(tiles) tiles, \(blockCols) columns, \(rows) rows")
        }
    }

    /// GEMM work of a block: its panels times the share of rows; threads differ by less than one panel.
    func testThreadsGetEqualGemmWork() {
        for (threads, tiles, blockCols, rows) in [(2, 392, 32, 256), (2, 784, 128, 64), (3, 392, 32, 256),
                                                  (2, 8192, 128, 64), (2, 20, 32, 64), (4, 100, 64, 64)] {
            let work = blocks(threads: threads, tiles: tiles, blockCols: blockCols, rows: rows).map { list in
                list.reduce(0.0) { $0 + Double(($1.count + nr - 1) / nr * $1.rows.count) / Double(rows) }
            }
            let spread = (work.max() ?? 0) - (work.min() ?? 0)
            XCTAssertLessThan(spread, 1, "\(threads) threads, \(tiles) tiles: \(work)")
        }
        // c4-fwd on 2 threads: 13 panels, each thread 6 whole ones and half the rows of the 13th.
        let c4 = blocks(threads: 2, tiles: 392, blockCols: 32, rows: 256)
        XCTAssertEqual(c4.map(\.count), [7, 7])
        XCTAssertEqual(c4.map { $0.last?.rows }, [0..<128, 128..<256])
    }

    /// Too few rows to give each thread a micro-panel: the leftover panels go whole, one per thread.
    func testFewRowsLeaveLeftoverPanelsWhole() {
        let list = blocks(threads: 3, tiles: 5 * nr, blockCols: nr, rows: 16)
        XCTAssertEqual(list.map(\.count), [2, 2, 1])
        XCTAssertTrue(list.joined().allSatisfy { $0.rows == 0..<16 })
    }
}
