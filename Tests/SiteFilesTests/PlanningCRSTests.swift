import Foundation
import SiteProjection
import SiteVocabulary
import XCTest
@testable import SiteFiles

/// `"planning_crs": "auto"` takes the UTM zone of the parcels, so any settlement can be planned
/// without looking its zone up; a CRS in degrees is refused.
final class PlanningCRSTests: XCTestCase {
    /// A copy of the Khojaly scenario whose scenario.json says `planning_crs`.
    func khojaly(planningCRS: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("siteplan-crs-\(UUID().uuidString)")
        try FileManager.default.copyItem(atPath: KhojalyLayoutTests.folder, toPath: dir.path)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let manifest = dir.appendingPathComponent("scenario.json")
        var json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: manifest)) as? [String: Any])
        json["planning_crs"] = planningCRS
        try JSONSerialization.data(withJSONObject: json).write(to: manifest)
        return dir.path
    }

    func testAutoIsTheUTMZoneOfTheParcels() throws {
        let auto = try ScenarioReader.load(folder: khojaly(planningCRS: "auto"))
        let given = try ScenarioReader.load(folder: KhojalyLayoutTests.folder)
        XCTAssertEqual(auto.frame.crs, CRS.epsg(32638))
        XCTAssertEqual(try auto.parcels.map { try $0.boundaryPlanar.area }, try given.parcels.map { try $0.boundaryPlanar.area })
    }

    func testACRSInDegreesIsRefused() throws {
        let folder = try khojaly(planningCRS: "EPSG:4326")
        XCTAssertThrowsError(try ScenarioReader.load(folder: folder)) { error in
            XCTAssertEqual("\(error)", "\(folder)/scenario.json: \"planning_crs\": EPSG:4326 is not a projected CRS in metres (a UTM zone such as EPSG:32638 is); areas and distances need one")
        }
    }
}
