import RingbackCore
import XCTest

final class NumberAndChannelTests: XCTestCase {
    let russia = NumberPlan(countryCode: "7", trunkPrefix: "8", internationalPrefix: "810", areaCode: "495",
                            nationalLength: 10, outsidePrefix: "9")

    func testRussianNumbersNormalizeToE164() {
        XCTAssertEqual(russia.normalize("89161234567"), "+79161234567")
        XCTAssertEqual(russia.normalize("79161234567"), "+79161234567")
        XCTAssertEqual(russia.normalize("+7 (916) 123-45-67"), "+79161234567")
        XCTAssertEqual(russia.normalize("9161234567"), "+79161234567")
        XCTAssertEqual(russia.normalize("81049301234567"), "+49301234567")
        XCTAssertEqual(russia.normalize("1234567"), "+74951234567", "short local numbers take the area code")
        XCTAssertEqual(russia.normalize("242056"), "242056", "a number no rule fits keeps its digits")
        XCTAssertNil(russia.normalize("anonymous"))
    }

    func testEuropeanPlanWithZeroPrefixes() {
        let germany = NumberPlan(countryCode: "49", trunkPrefix: "0", internationalPrefix: "00", nationalLength: 10)
        XCTAssertEqual(germany.normalize("03012345678"), "+493012345678")
        XCTAssertEqual(germany.normalize("0079161234567"), "+79161234567")
    }

    func testOutsidePrefixIsStrippedFromDialledNumbers() {
        XCTAssertEqual(russia.strippingOutsidePrefix("989161234567"), "89161234567")
        XCTAssertEqual(russia.strippingOutsidePrefix("901"), "901", "too short to be an outside call")
    }

    func testUncallableCallerIDs() {
        for raw in ["", "anonymous", "Unknown", "<unknown>", "Restricted"] {
            XCTAssertTrue(NumberPlan.isUncallable(raw), raw)
        }
        XCTAssertFalse(NumberPlan.isUncallable("89161234567"))
    }

    func testChannelNames() throws {
        XCTAssertEqual(ChannelName("PJSIP/101-0000001a")?.device, "101")
        XCTAssertEqual(ChannelName("SIP/alice-00000004")?.device, "alice")
        XCTAssertEqual(ChannelName("SIP/stadionpbx-0000000a")?.device, "stadionpbx")
        XCTAssertEqual(ChannelName("PJSIP/my-trunk-00000012")?.device, "my-trunk")
        let local = try XCTUnwrap(ChannelName("Local/101@from-queue-00000003;2"))
        XCTAssertTrue(local.isLocal)
        XCTAssertEqual(local.device, "101")
        XCTAssertEqual(local.localHalf, 2)
        XCTAssertNil(ChannelName(""))
        XCTAssertNil(ChannelName("garbage"))
    }

    func testExtensionsByPatternOrDirectory() throws {
        let matcher = ExtensionMatcher(pattern: .twoToFiveDigits, listed: ["alice"])
        XCTAssertTrue(matcher.isExtension("101"))
        XCTAssertTrue(matcher.isExtension("alice"))
        XCTAssertFalse(matcher.isExtension("241045"))
        XCTAssertFalse(matcher.isExtension("trunk"))
    }
}
