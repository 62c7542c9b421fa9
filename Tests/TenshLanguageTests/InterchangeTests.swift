import Foundation
import XCTest
import TenshEngine
@testable import TenshLanguage

/// The MNIST network of pytorch/examples written in tensh reads the
/// state_dict PyTorch saved (scripts/fixtures/modules.py) and gives PyTorch's
/// outputs.
final class InterchangeTests: XCTestCase {
    static let network = """
    def forward(self, x) {
        x = relu(max_pool2d(self.conv1(x), 2))
        x = relu(max_pool2d(self.conv2_drop(self.conv2(x)), 2))
        x = x.view(-1, 320)
        x = relu(self.fc1(x))
        x = dropout(x, train=self.training)
        log_softmax(self.fc2(x), dim=1)
    }
    def mnist_net() = Module(conv1=Conv2d(1, 10, kernel_size=5), conv2=Conv2d(10, 20, kernel_size=5), conv2_drop=Dropout2d(),
                             fc1=Linear(320, 50), fc2=Linear(50, 10), forward=forward)

    """

    func run(_ file: String) throws -> Session {
        let fixtures = try ModuleFixtures.load()
        let session = Session(output: CapturedOutput())
        session.interpreter.environment.assign("x", .tensor(try fixtures.mnist.input.tensor()))
        session.interpreter.environment.assign("path", .string(try ModuleFixtures.url(file).path))
        let outcome = session.run(source: Self.network + """
        net = mnist_net()
        result = load_state_dict(net, load(path))
        net.eval()
        y = net(x)
        keys = list(state_dict(net).keys())
        """)
        XCTAssertEqual(outcome.status, .ok, outcome.rendered)
        return session
    }

    func testPyTorchCheckpointsLoadAndGiveTorchsOutputs() throws {
        let fixtures = try ModuleFixtures.load()
        for file in ["mnist_net.pt", "mnist_net.safetensors"] {
            let session = try run(file)
            guard case .tensor(let y)? = session.value(of: "y") else { return XCTFail("\(file): no output") }
            assertTensorClose(y, try fixtures.mnist.output.tensor(), "\(file) output")
            guard case .list(let keys)? = session.value(of: "keys") else { return XCTFail("\(file): no keys") }
            XCTAssertEqual(keys.items.map(\.text), fixtures.mnist.keys, file)
        }
    }
}
