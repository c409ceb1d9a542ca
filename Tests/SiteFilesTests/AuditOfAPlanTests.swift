import Foundation
import DriverGeoJSON
import SiteAudit
import SiteDrivers
import SitePlanning
import SiteProjection
import SiteVocabulary
import XCTest
@testable import SiteFiles

/// A plan's own layers feed the audit: the plan folder is the audit's input schema, every works
/// status the plan writes (under_construction too) is read, and the threshold and CRS are options.
final class AuditOfAPlanTests: XCTestCase {
    func planFolder() throws -> (String, PlanRun) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("siteplan-auditplan-\(UUID().uuidString)").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        let run = try ScenarioReader.loadPackage(folder: KhojalyLayoutTests.folder).run()
        let files = FileSet()
        try GeoJSONSink().write(try PlanLayers.runLayers(run), to: dir + "/plan", in: files)
        try files.commit()
        return (dir, run)
    }

    func rows(_ path: String) throws -> [[String]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    func testThePlanFolderIsAuditedWithItsOptions() throws {
        let (dir, run) = try planFolder()
        let auto = try AuditFiles.run(parcels: dir + "/plan/parcels.geojson", buildings: dir + "/plan/buildings.geojson",
                                      network: dir + "/plan/network.geojson", outputDirectory: dir + "/audit",
                                      options: AuditFiles.Options(crs: nil), threads: 2)
        XCTAssertEqual(auto.crs, CRS.epsg(32638), "Khojaly's UTM zone, found from the data")
        let buildings = try rows(dir + "/audit/buildings.csv")
        XCTAssertEqual(buildings.count, run.plan.buildings.count)
        XCTAssertEqual(Set(buildings.map { $0[0] }), Set(run.plan.buildings.map(\.id)))
        let parcels = try rows(dir + "/audit/parcels.csv")
        XCTAssertEqual(parcels.map { $0[0] }, ["P1-A", "P1-B"])
        XCTAssertEqual(parcels.map { Int($0[3]) }, ["P1-A", "P1-B"].map { p in run.plan.buildings.filter { $0.parcelID == p }.count },
                       "buildings per parcel: 197 and 92 houses, and the facility buildings")

        // Within 30 m of a built line against within 1 m: a smaller threshold connects fewer.
        try AuditFiles.run(parcels: dir + "/plan/parcels.geojson", buildings: dir + "/plan/buildings.geojson",
                           network: dir + "/plan/network.geojson", outputDirectory: dir + "/audit-1m",
                           options: AuditFiles.Options(thresholdMetres: 1), threads: 2)
        let connected30 = buildings.filter { $0.last == "true" }.count
        let connected1 = try rows(dir + "/audit-1m/buildings.csv").filter { $0.last == "true" }.count
        XCTAssertGreaterThan(connected30, 0)
        XCTAssertLessThan(connected1, connected30)

        // Works still under way on the laid segments: a status the audit once refused, and one
        // that carries no service.
        let network = try String(contentsOfFile: dir + "/plan/network.geojson", encoding: .utf8)
        let underWay = network.replacingOccurrences(of: "\"status\":\"laid\"", with: "\"status\":\"under_construction\"")
        XCTAssertNotEqual(underWay, network)
        try underWay.write(toFile: dir + "/plan/network.geojson", atomically: true, encoding: .utf8)
        try AuditFiles.run(parcels: dir + "/plan/parcels.geojson", buildings: dir + "/plan/buildings.geojson",
                           network: dir + "/plan/network.geojson", outputDirectory: dir + "/audit-under-way", threads: 2)
        let parcelsUnderWay = try rows(dir + "/audit-under-way/parcels.csv")
        let built = parcels.map { Double($0[8])! }, builtUnderWay = parcelsUnderWay.map { Double($0[8])! }
        XCTAssertLessThan(builtUnderWay[0], built[0], "built_m leaves the segments under construction out")
    }
}
