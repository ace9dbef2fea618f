import Foundation

/// One account and everything that decides its access (docs/protocol.md §11).
public struct FixtureUser: Codable, Sendable {
    public var username: String
    /// The primary e-mail; the only e-mail that works as a login name (docs/protocol.md §2).
    public var email: String
    public var password: String
    public var isActive: Bool
    public var credentialing: Credentialing
    public var trainings: [Training]
    public var signedAgreements: [SignedAgreement]
    public var accessRequests: [AccessRequest]

    public init(
        username: String, email: String, password: String, isActive: Bool = true,
        credentialing: Credentialing = Credentialing(status: .notCredentialed), trainings: [Training] = [],
        signedAgreements: [SignedAgreement] = [], accessRequests: [AccessRequest] = []
    ) {
        self.username = username
        self.email = email
        self.password = password
        self.isActive = isActive
        self.credentialing = credentialing
        self.trainings = trainings
        self.signedAgreements = signedAgreements
        self.accessRequests = accessRequests
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        username = try c.decode(String.self, forKey: .username)
        email = try c.decode(String.self, forKey: .email)
        password = try c.decode(String.self, forKey: .password)
        isActive = try c.decodeIfPresent(Bool.self, forKey: .isActive) ?? true
        credentialing = try c.decodeIfPresent(Credentialing.self, forKey: .credentialing) ?? Credentialing(status: .notCredentialed)
        trainings = try c.decodeIfPresent([Training].self, forKey: .trainings) ?? []
        signedAgreements = try c.decodeIfPresent([SignedAgreement].self, forKey: .signedAgreements) ?? []
        accessRequests = try c.decodeIfPresent([AccessRequest].self, forKey: .accessRequests) ?? []
    }

    public var isCredentialed: Bool { credentialing.status == .credentialed }

    public struct Credentialing: Codable, Sendable {
        public enum Status: String, Codable, Sendable {
            case credentialed
            case pending
            case notCredentialed = "not-credentialed"
        }
        public var status: Status
        /// Credentialed: when it was granted; pending: when the application was submitted. ISO 8601.
        public var date: String?
        /// Pending only: `Awaiting review`, `Awaiting a response from reference` or `Awaiting final approval`.
        public var reviewStatus: String?

        public init(status: Status, date: String? = nil, reviewStatus: String? = nil) {
            self.status = status
            self.date = date
            self.reviewStatus = reviewStatus
        }
    }

    public struct Training: Codable, Sendable {
        public enum Status: String, Codable, Sendable {
            case review = "REVIEW"
            case accepted = "ACCEPTED"
            case rejected = "REJECTED"
            case withdrawn = "WITHDRAWN"
        }
        /// The training record's own id (`/settings/training/<id>/`).
        public var id: Int
        /// The training *type* id that projects require (`view-required-training/<ver>/#<typeID>`).
        public var typeID: Int
        public var typeName: String
        public var status: Status
        /// ISO 8601 date the record was processed (accepted, rejected) or submitted.
        public var processed: String
        /// The training type's validity period; `nil` means it never expires (docs/protocol.md §11).
        public var validityDays: Int?
        public var reviewerComments: String?

        public init(
            id: Int, typeID: Int, typeName: String, status: Status, processed: String, validityDays: Int? = nil,
            reviewerComments: String? = nil
        ) {
            self.id = id
            self.typeID = typeID
            self.typeName = typeName
            self.status = status
            self.processed = processed
            self.validityDays = validityDays
            self.reviewerComments = reviewerComments
        }

        /// The moment an accepted training stops counting, if its type has a validity period.
        public var expiry: Date? {
            guard let validityDays, let processedDate = SimulatorDates.parse(processed) else { return nil }
            return processedDate.addingTimeInterval(TimeInterval(validityDays) * 86400)
        }

        public func isValid(at now: Date) -> Bool {
            guard status == .accepted else { return false }
            return expiry.map { $0 > now } ?? true
        }

        public func isExpired(at now: Date) -> Bool {
            status == .accepted && !isValid(at: now)
        }
    }

    public struct SignedAgreement: Codable, Sendable, Equatable {
        public var slug: String
        public var version: String
        public var date: String

        public init(slug: String, version: String, date: String) {
            self.slug = slug
            self.version = version
            self.date = date
        }
    }

    /// A contributor-review access request (docs/protocol.md §11, CONTRIBUTOR_REVIEW).
    public struct AccessRequest: Codable, Sendable {
        public enum Status: String, Codable, Sendable {
            case pending = "PENDING"
            case accepted = "ACCEPTED"
            case rejected = "REJECTED"
            case withdrawn = "WITHDRAWN"
            case revoked = "REVOKED"
        }
        public var slug: String
        public var version: String
        public var status: Status
        /// ISO 8601; `nil` = no expiry.
        public var expires: String?

        public init(slug: String, version: String, status: Status, expires: String? = nil) {
            self.slug = slug
            self.version = version
            self.status = status
            self.expires = expires
        }

        public func grantsAccess(at now: Date) -> Bool {
            guard status == .accepted else { return false }
            guard let expires else { return true }
            return (SimulatorDates.parse(expires) ?? .distantPast) > now
        }
    }
}
