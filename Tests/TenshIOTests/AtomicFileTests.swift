import Foundation
import TenshEngine
import XCTest
@testable import TenshIO

/// The one atomic writer every save goes through.
final class AtomicFileTests: XCTestCase {
    private var scratch: ScratchDirectory!

    override func setUpWithError() throws { scratch = try ScratchDirectory() }

    override func tearDownWithError() throws {
        scratch.remove()
        Cancellation.reset()
    }

    func testRefusesToReplaceADevice() throws {
        // `save(x, "dev_null")` where dev_null is a character device: refused, the device stays.
        let device = scratch.file("dev_null")
        XCTAssertEqual(symlink("/dev/null", device), 0)
        assertFails(try AtomicFile.write([1, 2, 3], to: device, op: "save"), contains: "it is a character device, not a regular file; it is not replaced")
        assertFails(try AtomicFile.write([1], to: "/dev/null", op: "save"), contains: "save: '/dev/null': it is a character device")
        var status = stat()
        XCTAssertEqual(stat("/dev/null", &status), 0)
        XCTAssertEqual(status.st_mode & S_IFMT, S_IFCHR)
        XCTAssertEqual(try scratch.contents(), ["dev_null"], "no temporary file is left")
    }

    func testRefusesFifosAndDirectories() throws {
        let fifo = scratch.file("pipe")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        assertFails(try AtomicFile.write([1], to: fifo, op: "save"), contains: "it is a FIFO (named pipe), not a regular file")
        assertFails(try AtomicFile.write([1], to: scratch.path, op: "dot"), contains: "dot: '\(scratch.path)' names a directory, not a file")
        assertFails(try AtomicFile.write([1], to: scratch.path + "/", op: "dot"), contains: "names a directory, not a file")
    }

    func testA250CharacterNameWorks() throws {
        let name = String(repeating: "n", count: 246) + ".npy" // 250 bytes; NAME_MAX is 255
        let path = scratch.file(name)
        try AtomicFile.write([7, 8, 9], to: path, op: "save")
        XCTAssertEqual([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))), [7, 8, 9])
        let multibyte = scratch.file(String(repeating: "é", count: 125)) // 250 bytes of UTF-8
        try AtomicFile.write([1], to: multibyte, op: "save")
        XCTAssertEqual(try scratch.contents().count, 2)
        XCTAssertLessThanOrEqual(AtomicFile.temporaryName(for: String(repeating: "x", count: 255)).utf8.count, 100)
    }

    func testRejectsANulInsideThePath() throws {
        let good = scratch.file("good.png")
        assertFails(try AtomicFile.write([1], to: good + "\0junk", op: "save_image"), contains: "save_image: the path '\(good)\\x00junk' contains a NUL character")
        XCTAssertEqual(try scratch.contents(), [], "nothing was written, not even to the prefix before the NUL")
        assertFails(try AtomicFile.write([1], to: "", op: "save"), contains: "the path is empty")
    }

    func testReplacesAtomicallyAndKeepsPermissions() throws {
        let path = scratch.file("model.dot")
        try AtomicFile.write(Array("old".utf8), to: path, op: "dot")
        XCTAssertEqual(chmod(path, 0o600), 0)
        try AtomicFile.write(Array("new".utf8), to: path, op: "dot")
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "new")
        var status = stat()
        XCTAssertEqual(stat(path, &status), 0)
        XCTAssertEqual(status.st_mode & 0o777, 0o600)
        XCTAssertEqual(try scratch.contents(), ["model.dot"])
    }

    func testWritesThroughASymbolicLinkToItsTarget() throws {
        let target = scratch.file("real.npy"), link = scratch.file("link.npy")
        try AtomicFile.write([1], to: target, op: "save")
        XCTAssertEqual(symlink(target, link), 0)
        try AtomicFile.write([2, 2], to: link, op: "save")
        XCTAssertEqual([UInt8](try Data(contentsOf: URL(fileURLWithPath: target))), [2, 2])
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), target, "the link stays a link")
        XCTAssertEqual(symlink(scratch.file("missing"), scratch.file("dangling")), 0)
        assertFails(try AtomicFile.write([1], to: scratch.file("dangling"), op: "save"), contains: "a symbolic link to a missing file")
    }

    func testAFailedProducerLeavesNothingBehind() throws {
        let path = scratch.file("half.npz")
        try AtomicFile.write([1, 2, 3], to: path, op: "save")
        struct Failure: Error {}
        XCTAssertThrowsError(try AtomicFile.write(to: path, op: "save") { sink in
            try sink.append([9, 9, 9, 9])
            throw Failure()
        })
        XCTAssertEqual([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))), [1, 2, 3])
        XCTAssertEqual(try scratch.contents(), ["half.npz"])
    }
}
