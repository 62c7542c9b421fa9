import Foundation
import TenshEngine
import XCTest
@testable import TenshIO

/// load_image against Pillow's decoding of every PNG and JPEG variant
/// (scripts/fixtures/files.py), and PNG writing read back.
final class ImageTests: XCTestCase {
    private var scratch: ScratchDirectory!

    override func setUpWithError() throws { scratch = try ScratchDirectory() }
    override func tearDownWithError() throws { scratch.remove() }

    private func expected(_ image: String, _ mode: ImageMode) throws -> Tensor {
        let stem = (image as NSString).deletingPathExtension
        return try loadNpy(try Fixture.path("images/expected/\(stem).\(mode.rawValue).npy"))
    }

    func testEveryPngEqualsPillowInEveryMode() throws {
        let names = try XCTUnwrap(try Fixture.json("images/images.json") as? [String]).filter { $0.hasSuffix(".png") }
        XCTAssertEqual(names.count, 26)
        for name in names {
            for mode in ImageMode.allCases {
                let t = try ImageFile.load(try Fixture.path("images/" + name), mode: mode)
                assertSameTensor(t, try expected(name, mode), "\(name) mode=\(mode)") // exact
            }
        }
    }

    func testEveryJpegIsWithinOneLevelOfPillow() throws {
        let names = try XCTUnwrap(try Fixture.json("images/images.json") as? [String]).filter { $0.hasSuffix(".jpg") }
        XCTAssertEqual(names.count, 7)
        var exact = 0, total = 0
        for name in names {
            for mode in ImageMode.allCases {
                let t = try ImageFile.load(try Fixture.path("images/" + name), mode: mode), want = try expected(name, mode)
                XCTAssertEqual(t.shape, want.shape, "\(name) mode=\(mode)")
                for (a, b) in zip(t.toDoubles(), want.toDoubles()) {
                    XCTAssertLessThanOrEqual(abs(a - b), 1.0 / 255 + 1e-7, "\(name) mode=\(mode)")
                    exact += a == b ? 1 : 0
                    total += 1
                }
            }
        }
        // Pillow uses libjpeg-turbo with the same settings: in practice every value matches.
        XCTAssertGreaterThan(Double(exact) / Double(total), 0.99, "\(exact) of \(total) values equal")
    }

    func testSamplePhotographs() throws {
        let png = try ImageFile.load(Fixture.projectPath("scripts/examples/data/images/chelsea.png"))
        XCTAssertEqual(png.shape, [3, 300, 451])
        XCTAssertTrue(png.isImage, "show draws what load_image returns as a photograph")
        let jpeg = try ImageFile.load(Fixture.projectPath("scripts/examples/data/images/chelsea.jpg"))
        XCTAssertEqual(jpeg.shape, [3, 300, 451])
        XCTAssertTrue(jpeg.isImage)
        let difference = zip(png.toDoubles(), jpeg.toDoubles()).map { abs($0 - $1) }.reduce(0, +) / Double(png.count)
        XCTAssertLessThan(difference, 0.03, "the JPEG is the same photograph") // quality 90
        let camera = try ImageFile.load(Fixture.projectPath("scripts/examples/data/images/camera.png"), mode: .keep)
        XCTAssertEqual(camera.shape, [1, 512, 512])
        XCTAssertEqual(try ImageFile.load(Fixture.projectPath("scripts/examples/data/images/camera.png"), mode: .rgba).shape, [4, 512, 512])
    }

    func testPhotographRoundTripsExactly() throws {
        for name in ["rgb8.png", "rgba8.png", "gray8.png", "interlaced_rgb8_large.png"] {
            let original = try ImageFile.load(try Fixture.path("images/" + name))
            let path = scratch.file(name)
            try ImageFile.savePhoto(original, to: path, op: "save_image")
            assertSameTensor(try ImageFile.load(path), original, name)
        }
    }

    func testSavePhotoRoundsLikeTorchvision() throws {
        // torchvision: x * 255 + 0.5, clamped to [0, 255], truncated.
        let x = try Tensor([-0.5, 0, 0.001, 0.002, 0.5, 1.0 / 255 * 2.5, 0.999, 1, 3, .nan, .infinity, -.infinity],
                           shape: [1, 1, 12], dtype: .float32)
        let path = scratch.file("gray.png")
        try ImageFile.savePhoto(x, to: path, op: "save_image")
        let back = try ImageFile.load(path).toDoubles().map { Int(($0 * 255).rounded()) }
        XCTAssertEqual(back, [0, 0, 0, 1, 128, 3, 255, 255, 255, 0, 255, 0])
    }

    func testScaleEnlargesByNearestNeighbour() throws {
        let pixels: [UInt8] = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120] // 2 x 2 RGB
        let path = scratch.file("scaled.png")
        try ImageFile.savePng(pixels: pixels, width: 2, height: 2, channels: 3, scale: 3, to: path, op: "save_image")
        let t = try ImageFile.load(path)
        XCTAssertEqual(t.shape, [3, 6, 6])
        let v = t.toDoubles().map { Int(($0 * 255).rounded()) }
        for y in 0..<6 {
            for x in 0..<6 {
                let source = (y / 3) * 2 + x / 3
                XCTAssertEqual(v[y * 6 + x], Int(pixels[source * 3]), "red at \(y), \(x)")
                XCTAssertEqual(v[72 + y * 6 + x], Int(pixels[source * 3 + 2]), "blue at \(y), \(x)")
            }
        }
        assertFails(try ImageFile.savePng(pixels: pixels, width: 2, height: 2, channels: 3, scale: 0, to: path, op: "save_image"),
                    contains: "scale must be at least 1")
        assertFails(try ImageFile.savePng(pixels: pixels, width: 2, height: 2, channels: 3, scale: 1 << 40, to: path, op: "save_image"),
                    contains: "is too large")
    }

    func testPngIsCompressed() throws {
        let path = scratch.file("flat.png")
        try ImageFile.savePng(pixels: [UInt8](repeating: 77, count: 300 * 200 * 3), width: 300, height: 200, channels: 3, to: path, op: "save_image")
        let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        XCTAssertLessThan(size, 2000, "180000 bytes of one colour compress to almost nothing")
    }

    func testPhotoShapesAreChecked() throws {
        assertFails(try ImageFile.savePhoto(try zeros([2, 4, 4]), to: scratch.file("x.png"), op: "save_image"),
                    contains: "a photograph must have shape [3, H, W] (RGB), [4, H, W] (RGBA), [1, H, W] or [H, W] (gray), got [2, 4, 4]")
        assertFails(try ImageFile.savePhoto(try zeros([3, 0, 4]), to: scratch.file("x.png"), op: "save_image"), contains: "got [3, 0, 4]")
    }
}
