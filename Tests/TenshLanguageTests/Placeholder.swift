import XCTest
@testable import TenshLanguage
