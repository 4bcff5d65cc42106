extension LineChart {
  private static let gridColor = Color(gray: 232)
  private static let frameColor = Color(gray: 90)
  private static let textColor = Color(gray: 20)

  /// The layout `render()` uses, so callers (and tests) can map data to pixels.
  public func layout() -> ChartLayout { ChartLayout(self) }

  /// The chart as an RGB image on a white background.
  public func render() -> Image {
    let layout = layout()
    let plot = layout.plotArea
    var image = Image(width: width, height: height, channels: 3, filledWith: .white)
    drawGridAndTicks(layout, on: &image)
    var drewSomething = false
    for index in series.indices {
      drewSomething = drawSeries(index, layout: layout, on: &image) || drewSomething
    }
    image.stroke(PixelRect(x: plot.x - 1, y: plot.y - 1, width: plot.width + 2, height: plot.height + 2),
                 with: LineChart.frameColor)
    if !drewSomething {
      let message = "no finite data"
      image.drawText(message, x: plot.x + (plot.width - BitmapFont.width(of: message)) / 2,
                     y: plot.y + plot.height / 2, color: LineChart.frameColor)
    }
    let skipped = nonFinitePointCount
    if skipped > 0 {
      let note = "\(skipped) non-finite point\(skipped == 1 ? "" : "s") (NaN/inf) not drawn"
      image.drawText(note, x: plot.x + 6, y: plot.maxY - BitmapFont.lineHeight - 4, color: Color(hex: 0xD03030))
    }
    drawTitles(layout, on: &image)
    drawLegend(layout, on: &image)
    return image
  }

  private func drawGridAndTicks(_ layout: ChartLayout, on image: inout Image) {
    let plot = layout.plotArea
    let font = BitmapFont.height()
    for (value, label) in zip(layout.xTicks.values, layout.xTicks.labels) {
      let x = Int(layout.pixel(x: value, y: layout.yTicks.lower).x.rounded(.down))
      image.fill(PixelRect(x: x, y: plot.y, width: 1, height: plot.height), with: LineChart.gridColor)
      image.fill(PixelRect(x: x, y: plot.maxY, width: 1, height: ChartLayout.tickLength), with: LineChart.frameColor)
      image.drawText(label, x: x - BitmapFont.width(of: label) / 2,
                     y: plot.maxY + ChartLayout.tickLength + ChartLayout.labelGap, color: LineChart.textColor)
    }
    for (value, label) in zip(layout.yTicks.values, layout.yTicks.labels) {
      let y = min(plot.maxY - 1, Int(layout.pixel(x: layout.xTicks.lower, y: value).y.rounded(.down)))
      image.fill(PixelRect(x: plot.x, y: y, width: plot.width, height: 1), with: LineChart.gridColor)
      image.fill(PixelRect(x: plot.x - ChartLayout.tickLength, y: y, width: ChartLayout.tickLength, height: 1),
                 with: LineChart.frameColor)
      image.drawText(label, x: plot.x - ChartLayout.tickLength - ChartLayout.labelGap - BitmapFont.width(of: label),
                     y: y - font / 2, color: LineChart.textColor)
    }
  }

  /// Draws series `index` as line runs between non-finite points; returns whether anything was drawn.
  private func drawSeries(_ index: Int, layout: ChartLayout, on image: inout Image) -> Bool {
    let color = color(ofSeries: index)
    let clip = layout.plotArea
    var previous: (x: Double, y: Double)? = nil
    var runLength = 0
    var drew = false
    func endRun() {
      // A run of one point has no segment: show it as a dot.
      if runLength == 1, let point = previous {
        image.fillCircle(center: point, radius: lineWidth + 0.5, color: color, clip: clip)
        drew = true
      }
      previous = nil
      runLength = 0
    }
    for (x, y) in zip(series[index].x, series[index].y) {
      guard x.isFinite && y.isFinite else {
        endRun()
        continue
      }
      let point = layout.pixel(x: x, y: y)
      if let start = previous {
        image.drawLine(from: start, to: point, color: color, lineWidth: lineWidth, clip: clip)
        drew = true
      }
      previous = point
      runLength += 1
    }
    endRun()
    return drew
  }

  private func drawTitles(_ layout: ChartLayout, on image: inout Image) {
    let plot = layout.plotArea
    let scale = ChartLayout.titleScale
    image.drawText(title, x: (width - BitmapFont.width(of: title, scale: scale)) / 2, y: ChartLayout.margin,
                   color: LineChart.textColor, scale: scale)
    let font = BitmapFont.height()
    image.drawText(xLabel, x: plot.x + (plot.width - BitmapFont.width(of: xLabel)) / 2,
                   y: plot.maxY + ChartLayout.tickLength + ChartLayout.labelGap + font + 6, color: LineChart.textColor)
    image.drawText(yLabel, x: ChartLayout.margin, y: plot.y + (plot.height - BitmapFont.width(of: yLabel)) / 2,
                   color: LineChart.textColor, direction: .upward)
  }

  /// A boxed legend in the plot's top-right corner listing every named series.
  private func drawLegend(_ layout: ChartLayout, on image: inout Image) {
    let entries = series.indices.filter { !series[$0].name.isEmpty }
    guard !entries.isEmpty else { return }
    let sample = 18
    let rowHeight = BitmapFont.lineHeight + 3
    let textWidth = entries.map { BitmapFont.width(of: series[$0].name) }.max()!
    let box = PixelRect(x: layout.plotArea.maxX - (sample + textWidth + 20) - 6, y: layout.plotArea.y + 6,
                        width: sample + textWidth + 20, height: entries.count * rowHeight + 8)
    image.fill(box, with: Color(red: 255, green: 255, blue: 255, alpha: 230))
    image.stroke(box, with: Color(gray: 180))
    for (row, index) in entries.enumerated() {
      let y = box.y + 5 + row * rowHeight
      let middle = Double(y) + Double(BitmapFont.glyphHeight) / 2
      image.drawLine(from: (Double(box.x + 6), middle), to: (Double(box.x + 6 + sample), middle),
                     color: color(ofSeries: index), lineWidth: 2)
      image.drawText(series[index].name, x: box.x + sample + 12, y: y, color: LineChart.textColor)
    }
  }
}
