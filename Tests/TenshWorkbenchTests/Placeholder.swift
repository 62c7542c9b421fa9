import XCTest
@testable import TenshWorkbench
