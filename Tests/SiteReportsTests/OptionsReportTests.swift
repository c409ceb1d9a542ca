import Foundation
import SiteFiles
import SitePlanning
import SiteReports
import SiteVocabulary
import XCTest

/// Why the winner won, as the options report says it, against the study's own figures.
final class OptionsReportTests: XCTestCase {
    func testTheReasonNamesTheWinnerTheRunnerUpAndTheirCosts() throws {
        let scenario = try ScenarioReader.loadPackage(folder: MapTests.khojaly).scenario
        let study = try OptionsStudy(scenario: scenario, count: 3, threads: 2)
        let w = study.winner, r = try XCTUnwrap(study.runnerUp)
        let reason = OptionsReport.reason(study)
        XCTAssertTrue(reason.hasPrefix("option \(w.number) "), reason)
        XCTAssertTrue(reason.contains("option \(r.number)"), reason)
        if w.figures.buildingsUnplaced == r.figures.buildingsUnplaced, w.figures.costPerDwelling.rounded() != r.figures.costPerDwelling.rounded() {
            // The costs as the table rounds them, with thousands separators, and the saving.
            XCTAssertTrue(reason.contains(grouped(Int(w.figures.costPerDwelling.rounded()), separator: ",") + " " + study.unitCosts.currency), reason)
            XCTAssertTrue(reason.contains(grouped(Int(r.figures.costPerDwelling.rounded()), separator: ",") + " " + study.unitCosts.currency), reason)
            let saving = (r.figures.costPerDwelling.rounded() - w.figures.costPerDwelling.rounded()) / r.figures.costPerDwelling.rounded() * 100
            XCTAssertTrue(reason.contains(fixedNotation(saving, decimals: 1) + " % below the next best"), reason)
        }
        XCTAssertTrue(OptionsReport.summary(study).contains(reason))
        XCTAssertEqual(OptionsReport.json(study).object?["reason"]?.string, reason)
    }
}
