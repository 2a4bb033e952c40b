import Testing
@testable import RapportCore

@Suite("Response templates")
struct ResponseTemplateTests {
    @Test func fillsPlaceholdersAndKeepsLiteralBraces() throws {
        let template = try ResponseTemplate("Welcome to {shop_name}, I'm {bot_name}. {{not a placeholder}}")
        #expect(template.placeholders.map(\.name) == ["shop_name", "bot_name"])
        #expect(template.placeholders.map(\.offset) == [11, 28])
        let text = template.render(["shop_name": "Harbour & Pine", "bot_name": "Pip"])
        #expect(text == "Welcome to Harbour & Pine, I'm Pip. {not a placeholder}")
    }

    @Test func unknownValuesUseTheFallback() throws {
        let template = try ResponseTemplate("Hello {name}!")
        #expect(template.render([:]) { _ in "there" } == "Hello there!")
    }

    @Test func aWrittenFallbackIsSaidWhenTheValueIsUnknown() throws {
        let template = try ResponseTemplate("Hello {name|there}, order {order.status|status unknown}{suffix|}.")
        #expect(template.placeholders.map(\.name) == ["name", "order.status", "suffix"])
        #expect(template.placeholders.map(\.fallback) == ["there", "status unknown", ""])
        #expect(template.render([:]) == "Hello there, order status unknown.")
        #expect(template.render(["name": "Jo", "order.status": "shipped", "suffix": "!"]) == "Hello Jo, order shipped!.")
    }

    @Test("rejects malformed templates at the offending brace", arguments: [
        ("Hello {name", 6, "never closed"),
        ("Hello name}", 10, "no '{' before it"),
        ("Hello {}", 6, "is not a placeholder"),
        ("Hello {first name}", 6, "is not a placeholder"),
        ("Cost {{x}} then {9lives}", 16, "is not a placeholder"),
        ("Dear {name.}", 5, "is not a placeholder"),
    ])
    func rejects(source: String, offset: Int, problem: String) {
        #expect {
            _ = try ResponseTemplate(source)
        } throws: { error in
            guard let error = error as? TemplateSyntaxError else { return false }
            return error.offset == offset && error.problem.contains(problem)
        }
    }
}
