extension DivisionTable {
    static let edition = "stub"
    static let zoneRows = ""
    static let rows = """
    430000\t湖南省\thunan
    430100\t长沙市\tchangsha
    430300\t湘潭市\txiangtan
    430302\t雨湖区\tyuhu
    """
}
