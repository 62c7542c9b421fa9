import XCTest
@testable import TenshRender
