/// What the account's settings pages say, for `whoami`, `status` and access reports.
public struct AccountSummary: Sendable, Hashable {
    /// The name the navbar shows, when it could be read.
    public var accountName: String?
    /// `nil` when the credentialing page's layout was not recognised.
    public var credentialing: CredentialingStatus?
    /// `nil` when the certification page's layout was not recognised.
    public var trainings: TrainingSummary?

    public init(accountName: String?, credentialing: CredentialingStatus?, trainings: TrainingSummary?) {
        self.accountName = accountName
        self.credentialing = credentialing
        self.trainings = trainings
    }
}
