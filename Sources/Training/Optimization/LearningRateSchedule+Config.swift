import Configuration
extension LearningRateSchedule {
  /// Reads the schedule from a trainer section:
  /// ```yaml
  /// lr: 1e-3            # peak rate (required)
  /// warmup_steps: 500   # default 0
  /// decay: cosine       # constant (default) or cosine
  /// lr_floor: 1e-5      # final rate of cosine decay, default 0
  /// ```
  /// - Parameter totalSteps: the run's step count, where cosine decay reaches the floor.
  public init(config section: ConfigSection, totalSteps: Int) throws(ConfigError) {
    let peak = try section.double("lr")
    let warmup = try section.int("warmup_steps", default: 0)
    let decay = try section.choice("decay", of: LearningRateDecay.self, default: .constant)
    let floor = try section.double("lr_floor", default: 0)
    try section.check(peak > 0, "lr", "must be > 0")
    try section.check(warmup >= 0, "warmup_steps", "must be >= 0")
    try section.check(floor >= 0 && floor <= peak, "lr_floor", "must be between 0 and lr (\(peak))")
    try section.check(decay == .constant || warmup < totalSteps, "warmup_steps",
                      "must be below the step count (\(totalSteps)) for cosine decay")
    self.init(peak: peak, warmupSteps: warmup, decay: decay, totalSteps: totalSteps, floor: floor)
  }
}
