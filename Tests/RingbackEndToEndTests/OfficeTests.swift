import Foundation
import XCTest

/// Two offices, each with its own PBX, in one store (SPEC §10): both PBXs number their calls
/// and extensions alike; calls, owners and the report stay each office's, a callback is the
/// organisation's. Runs on SQLite and, in the suite's second pass, on PostgreSQL.
final class OfficeTests: XCTestCase {
    private var moscow: RingbackHarness!
    private var kazan: RingbackHarness!

    /// Both PBXs wrote uniqueid and linkedid 1773126000.21 for a miss at extension 101, at the
    /// same second (the trunks differ: a row identical in every field of its identity, SPEC
    /// §5.1, is one row, from whichever PBX).
    private static let kazanMiss = """
        "","89161112233","78432001122","from-trunk","<89161112233>","PJSIP/megafon-00000138","PJSIP/101-00000139","Dial","PJSIP/101,30","2026-03-10 10:00:00",,"2026-03-10 10:00:20",20,0,"NO ANSWER","DOCUMENTATION","1773126000.21","","","1773126000.21",0

        """
    /// Kazan's 101 calls back the client who called Moscow.
    private static let kazanCallsMoscowsClient = """
        "","101","89035551010","from-internal","Ivan <101>","PJSIP/101-00000140","PJSIP/trunk-00000141","Dial","PJSIP/89035551010@trunk,60","2026-03-10 10:10:00","2026-03-10 10:10:05","2026-03-10 10:12:00",120,115,"ANSWERED","DOCUMENTATION","1773126600.22","","","1773126600.22",0

        """

    override func setUpWithError() throws {
        let base = try String(contentsOf: RingbackHarness.fixtures.appendingPathComponent("directory/ringback.toml"), encoding: .utf8)
        let scratch = try RingbackHarness()
        moscow = try RingbackHarness(config: try write(base + "\n[office]\nname = \"msk\"\n", as: "msk.toml", in: scratch),
                                     sharing: scratch)
        kazan = try RingbackHarness(config: try write(base + "\n[office]\nname = \"kzn\"\n", as: "kzn.toml", in: scratch),
                                    sharing: moscow)
        // Anna's bare 101 is the first office's (Moscow, registered first); Ivan's is Kazan's.
        let managers = try write("""
            manager_id,name,extensions,login,email,role,mobiles
            m1,Anna Petrova,101,anna,anna@office.example,manager,
            m3,Ivan Kazansky,kzn:101,ivan,ivan@office.example,manager,
            h1,Helen Head,100,helen,helen@office.example,head,

            """, as: "managers.csv", in: scratch)
        XCTAssertEqual(try moscow.run(["import", "managers", managers]).status, 0)
        try ingest(try String(contentsOf: RingbackHarness.fixtures.appendingPathComponent("calls/unknown-number-direct.csv"),
                              encoding: .utf8), into: moscow, as: "msk.csv")
        try ingest(Self.kazanMiss, into: kazan, as: "kzn.csv")
    }

    override func tearDown() { moscow?.remove() }

    func testTheSameCallIDAndExtensionInTwoOfficesAreTwoCallsOfTheirOwnManagers() throws {
        let missed = try moscow.json(["missed", "--since", "2026-03-10", "--until", "2026-03-11"])
        let byNumber = Dictionary(missed.map { ($0.text("number") ?? "-", $0) }, uniquingKeysWith: { first, _ in first })
        XCTAssertEqual(missed.count, 2, "one call each: \(missed)")
        XCTAssertEqual(byNumber["+79035551010"]?.text("call_id"), "msk:1773126000.21")
        XCTAssertEqual(byNumber["+79035551010"]?.text("manager_id"), "m1")
        XCTAssertEqual(byNumber["+79161112233"]?.text("call_id"), "kzn:1773126000.21")
        XCTAssertEqual(byNumber["+79161112233"]?.text("manager_id"), "m3", "kzn:101 is Ivan's, not Anna's 101")
    }

    func testTheReportIsPerOfficeOrForAll() throws {
        func report(_ office: String?) throws -> [String: Any]? {
            try moscow.json(["report", "--day", "2026-03-10", "--at", "2026-03-10 12:00"] + (office.map { ["--office", $0] } ?? []))
                .first
        }
        XCTAssertEqual(try report(nil)?.int("missed_calls"), 2)
        XCTAssertTrue(try XCTUnwrap(report(nil)).isNull("office"))
        XCTAssertEqual(try report("kzn")?.int("missed_calls"), 1)
        XCTAssertEqual(try report("kzn")?.text("office"), "kzn")
        XCTAssertEqual(try report("msk")?.int("callbacks_opened"), 1)
        let unknown = try moscow.run(["report", "--office", "spb"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("msk, kzn"), "names the offices it knows: \(unknown.stderr)")
    }

    /// SPEC §10: a client who called office A and was called back from office B is resolved.
    func testAClientOfOneOfficeCalledBackFromAnotherIsResolved() throws {
        try ingest(Self.kazanCallsMoscowsClient, into: kazan, as: "kzn-2.csv")
        let open = try moscow.json(["pending", "--at", "2026-03-10 12:00"]).map { $0.text("number") }
        XCTAssertEqual(open, ["+79161112233"], "Moscow's caller was called back from Kazan")
        let missed = try moscow.json(["missed", "--since", "2026-03-10", "--until", "2026-03-11", "--at", "2026-03-10 12:00"])
        let moscowMiss = try XCTUnwrap(missed.first { $0.text("number") == "+79035551010" })
        XCTAssertEqual(moscowMiss.text("callback_state"), "called_back")
        XCTAssertEqual(moscowMiss.text("resolved_by"), "m3")
    }

    func testAnUnnamedOfficeAmongNamedOnesIsToldToNameItself() throws {
        let unnamed = try RingbackHarness(config: RingbackHarness.fixtures.appendingPathComponent("directory/ringback.toml").path,
                                          sharing: moscow)
        let output = try unnamed.run(["ingest", RingbackHarness.fixtures.appendingPathComponent("calls/voicemail.csv").path])
        XCTAssertNotEqual(output.status, 0)
        XCTAssertTrue(output.stderr.contains("holds the offices msk, kzn: name this one too"), output.stderr)
        XCTAssertEqual(try moscow.json(["missed", "--since", "2026-03-10", "--until", "2026-03-11"]).count, 2, "nothing stored")
    }

    private func write(_ text: String, as name: String, in harness: RingbackHarness) throws -> String {
        let path = harness.directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func ingest(_ csv: String, into harness: RingbackHarness, as name: String) throws {
        let output = try harness.run(["ingest", try write(csv, as: name, in: harness)])
        XCTAssertEqual(output.status, 0, output.stderr)
    }
}
