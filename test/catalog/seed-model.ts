// Generated from the seed's Data Model, Stored Procedures and System Tables sections (003_8ad997e756356d7e.txt):
// the names, keys, descriptions and example queries the catalog must reproduce.

export interface SeedColumn { name: string; type: string; key: boolean; description: string; pseudo: boolean; readOnly?: boolean }
export interface SeedEntity { name: string; kind: 'table' | 'view'; description: string; experimental: boolean; columns: SeedColumn[]; examples: string[] }
export interface SeedProcedure { name: string; description: string; params: { name: string; type: string; required: boolean; description: string }[]; result: { name: string; type: string; description: string }[] }
export interface SeedSysTable { name: string; columns: { name: string; type: string; description: string }[]; examples: string[] }

export const SEED_ENTITIES: SeedEntity[] = [
 {
  "name": "CustomerTransitions",
  "kind": "table",
  "description": "Returns a list of transitions that customers can perform on the request.",
  "experimental": false,
  "columns": [
   {
    "name": "RequestId",
    "type": "String",
    "key": true,
    "description": "The ID of the request.",
    "pseudo": false,
    "readOnly": true
   },
   {
    "name": "RequestKey",
    "type": "String",
    "key": false,
    "description": "The Key of the request.",
    "pseudo": false,
    "readOnly": true
   },
   {
    "name": "Id",
    "type": "String",
    "key": true,
    "description": "The ID of the transition.",
    "pseudo": false,
    "readOnly": false
   },
   {
    "name": "Name",
    "type": "String",
    "key": false,
    "description": "The Name of the customer transition.",
    "pseudo": false,
    "readOnly": true
   },
   {
    "name": "Comment",
    "type": "String",
    "key": false,
    "description": "The body of the comment for the transition.",
    "pseudo": false,
    "readOnly": false
   }
  ],
  "examples": [
   "SELECT * FROM CustomerTransitions WHERE RequestID = '10001'"
  ]
 },
 {
  "name": "RequestApprovals",
  "kind": "table",
  "description": "This resource represents a request approval.",
  "experimental": true,
  "columns": [
   {
    "name": "Id",
    "type": "String",
    "key": true,
    "description": "The ID of the approval.",
    "pseudo": false,
    "readOnly": true
   },
   {
    "name": "RequestKey",
    "type": "String",
    "key": false,
    "description": "The ID of the request.",
    "pseudo": false,
    "readOnly": true
   },
   {
    "name": "RequestId",
    "type": "String",
    "key": true,
    "description": "The Key of the request.",
    "pseudo": false,
    "readOnly": true
   },
   {
    "name": "Name",
    "type": "String",
    "key": true,
    "description": "The Name of the approval.",
    "pseudo": false,
    "readOnly": true
   },
   {
    "name": "FinalDecision",
    "type": "String",
    "key": false,
    "description": "The final decision. The allowed values are approve, decline.",
    "pseudo": false,
    "readOnly": false
   },
   {
    "name": "CanAnswerApproval",
    "type": "String",
    "key": false,
    "description": "Shows if this approval can be answered.",
    "pseudo": false,
    "readOnly": true
   },
   {
    "name": "Approvers",
    "type": "String",
    "key": false,
    "description": "The approvers of this request.",
    "pseudo": false,
    "readOnly": true
   },
   {
    "name": "CreatedDate",
    "type": "String",
    "key": false,
    "description": "The datetime this request was approved.",
    "pseudo": false,
    "readOnly": true
   },
   {
    "name": "CompletedDate",
    "type": "String",
    "key": false,
    "description": "The datetime this request approval was created.",
    "pseudo": false,
    "readOnly": true
   }
  ],
  "examples": [
   "SELECT * FROM RequestApprovals WHERE RequestID = '10001' AND ID = '10002'"
  ]
 },
 {
  "name": "RequestComments",
  "kind": "table",
  "description": "This resource represents request comments.",
  "experimental": false,
  "columns": [
   {
    "name": "Id",
    "type": "String",
    "key": true,
    "description": "The ID of the comment.",
    "pseudo": false,
    "readOnly": true
   },
   {
    "name": "RequestId",
    "type": "String",
    "key": true,
    "description": "The ID of the request.",
    "pseudo": false,
    "readOnly": true
   },
   {
    "name": "RequestKey",
    "type": "String",
    "key": false,
    "description": "The Key of the request.",
    "pseudo": false,
    "readOnly": true
   },
   {
    "name": "Body",
    "type": "String",
    "key": false,
    "description": "The Body of the comment.",
    "pseudo": false,
    "readOnly": false
   },
   {
    "name": "Public",
    "type": "Boolean",
    "key": false,
    "description": "Shows if the comment is public or internal",
    "pseudo": false,
    "readOnly": true
   },
   {
    "name": "AuthorKey",
    "type": "String",
    "key": false,
    "description": "The key of the comment author.",
    "pseudo": false,
    "readOnly": true
   },
   {
    "name": "CreatedAt",
    "type": "String",
    "key": false,
    "description": "The datetime the comment was created.",
    "pseudo": false,
    "readOnly": true
   },
   {
    "name": "Internal",
    "type": "Boolean",
    "key": false,
    "description": "Specifies whether to return internal comments or not. Default: true.",
    "pseudo": true
   }
  ],
  "examples": [
   "SELECT * FROM RequestComments WHERE RequestID = '10001' AND Id = '10002'",
   "SELECT * FROM RequestComments WHERE RequestID = '10001' AND Public = 'true'"
  ]
 },
 {
  "name": "RequestParticipants",
  "kind": "table",
  "description": "This resource represents request participants.",
  "experimental": false,
  "columns": [
   {
    "name": "AccountId",
    "type": "String",
    "key": true,
    "description": "The Account ID of the participant.",
    "pseudo": false,
    "readOnly": true
   },
   {
    "name": "RequestId",
    "type": "String",
    "key": true,
    "description": "The ID of the Request.",
    "pseudo": false,
    "readOnly": true
   },
   {
    "name": "RequestKey",
    "type": "String",
    "key": false,
    "description": "The Key of the request.",
    "pseudo": false,
    "readOnly": true
   },
   {
    "name": "EmailAddress",
    "type": "String",
    "key": false,
    "description": "The Email address of the participant.",
    "pseudo": false,
    "readOnly": true
   },
   {
    "name": "DisplayName",
    "type": "String",
    "key": false,
    "description": "The display name of the participant.",
    "pseudo": false,
    "readOnly": true
   },
   {
    "name": "Active",
    "type": "Boolean",
    "key": false,
    "description": "Shows if a participant is active.",
    "pseudo": false,
    "readOnly": true
   },
   {
    "name": "TimeZone",
    "type": "String",
    "key": false,
    "description": "The time zone of the participant.",
    "pseudo": false,
    "readOnly": true
   }
  ],
  "examples": [
   "SELECT * FROM RequestParticipants WHERE RequestID = '10001'"
  ]
 },
 {
  "name": "Customers",
  "kind": "view",
  "description": "This resource represents a customer.",
  "experimental": false,
  "columns": [
   {
    "name": "AccountId",
    "type": "String",
    "key": true,
    "description": "The ID of the account.",
    "pseudo": false
   },
   {
    "name": "Active",
    "type": "Boolean",
    "key": false,
    "description": "Shows if the customer is active.",
    "pseudo": false
   },
   {
    "name": "DisplayName",
    "type": "String",
    "key": false,
    "description": "The Display Name of the customer.",
    "pseudo": false
   },
   {
    "name": "EmailAddress",
    "type": "String",
    "key": false,
    "description": "The email address of the customer.",
    "pseudo": false
   },
   {
    "name": "TimeZone",
    "type": "String",
    "key": false,
    "description": "The time zone of the customer.",
    "pseudo": false
   },
   {
    "name": "ServiceDeskId",
    "type": "String",
    "key": false,
    "description": "The ID of the service desk.",
    "pseudo": false
   }
  ],
  "examples": []
 },
 {
  "name": "KnowledgeBaseArticles",
  "kind": "view",
  "description": "The articles which match the given query string across all service desks.",
  "experimental": false,
  "columns": [
   {
    "name": "ServiceDeskId",
    "type": "String",
    "key": false,
    "description": "The ID of the service desk.",
    "pseudo": false
   },
   {
    "name": "Title",
    "type": "String",
    "key": false,
    "description": "The title of the article.",
    "pseudo": false
   },
   {
    "name": "Excerpt",
    "type": "String",
    "key": false,
    "description": "The excerpt of the article.",
    "pseudo": false
   },
   {
    "name": "SourceType",
    "type": "String",
    "key": false,
    "description": "The article's source type",
    "pseudo": false
   },
   {
    "name": "SourcePageId",
    "type": "String",
    "key": false,
    "description": "The article's source page id",
    "pseudo": false
   },
   {
    "name": "SourceSpaceKey",
    "type": "String",
    "key": false,
    "description": "The article's source space key",
    "pseudo": false
   },
   {
    "name": "ContentiFramesource",
    "type": "String",
    "key": false,
    "description": "The link to the article.",
    "pseudo": false
   },
   {
    "name": "Query",
    "type": "String",
    "key": false,
    "description": "The string used to filter the articles (required).",
    "pseudo": false
   },
   {
    "name": "Highlight",
    "type": "Boolean",
    "key": false,
    "description": "If set to true matching query term in the title and excerpt will be highlighted using the {@code @@@hl@@@term@@@endhl@@@} syntax. Default: false.",
    "pseudo": true
   }
  ],
  "examples": []
 },
 {
  "name": "Organizations",
  "kind": "view",
  "description": "This resource represents an organization.",
  "experimental": true,
  "columns": [
   {
    "name": "Id",
    "type": "String",
    "key": true,
    "description": "The ID of the organization.",
    "pseudo": false
   },
   {
    "name": "Name",
    "type": "String",
    "key": false,
    "description": "The Name of the organization.",
    "pseudo": false
   },
   {
    "name": "ServiceDeskId",
    "type": "String",
    "key": false,
    "description": "The ID of the service desk.",
    "pseudo": false
   }
  ],
  "examples": []
 },
 {
  "name": "QueueRequests",
  "kind": "view",
  "description": "This resource returns the customer requests in a queue.",
  "experimental": false,
  "columns": [
   {
    "name": "RequestId",
    "type": "String",
    "key": true,
    "description": "The ID of the request.",
    "pseudo": false
   },
   {
    "name": "RequestKey",
    "type": "String",
    "key": true,
    "description": "The Key of the request.",
    "pseudo": false
   },
   {
    "name": "Summary",
    "type": "String",
    "key": false,
    "description": "The summary of the request.",
    "pseudo": false
   },
   {
    "name": "Status",
    "type": "String",
    "key": false,
    "description": "The status of the request.",
    "pseudo": false
   },
   {
    "name": "Created",
    "type": "Datetime",
    "key": false,
    "description": "The date the request was created.",
    "pseudo": false
   }
  ],
  "examples": []
 },
 {
  "name": "Requests",
  "kind": "view",
  "description": "This resource represents a request.",
  "experimental": false,
  "columns": [
   {
    "name": "RequestId",
    "type": "String",
    "key": true,
    "description": "The ID of the request.",
    "pseudo": false
   },
   {
    "name": "RequestKey",
    "type": "String",
    "key": true,
    "description": "The Key of the request.",
    "pseudo": false
   },
   {
    "name": "RequestTypeId",
    "type": "String",
    "key": false,
    "description": "The ID of the request type.",
    "pseudo": false
   },
   {
    "name": "ServiceDeskId",
    "type": "String",
    "key": false,
    "description": "The ID of the service desk.",
    "pseudo": false
   },
   {
    "name": "CreatedDate",
    "type": "String",
    "key": false,
    "description": "The date when the request is created.",
    "pseudo": false
   },
   {
    "name": "ReporterKey",
    "type": "String",
    "key": false,
    "description": "The key of the reporter.",
    "pseudo": false
   },
   {
    "name": "ReporterDisplayName",
    "type": "String",
    "key": false,
    "description": "The display name of the reporter.",
    "pseudo": false
   },
   {
    "name": "ReporterEmail",
    "type": "String",
    "key": false,
    "description": "The email of the reporter.",
    "pseudo": false
   },
   {
    "name": "ReporterName",
    "type": "String",
    "key": false,
    "description": "The name of the reporter.",
    "pseudo": false
   },
   {
    "name": "ReporterTimeZone",
    "type": "String",
    "key": false,
    "description": "The time zone of the reporter.",
    "pseudo": false
   },
   {
    "name": "CurrentStatus",
    "type": "String",
    "key": false,
    "description": "The current status of the request.",
    "pseudo": false
   },
   {
    "name": "RequestParticipants",
    "type": "String",
    "key": false,
    "description": "The participants of the request.",
    "pseudo": false
   },
   {
    "name": "RequestOwnership",
    "type": "String",
    "key": false,
    "description": "The owner of the request. The allowed values are OWNED_REQUESTS, PARTICIPATED_REQUESTS, ALL_REQUESTS.",
    "pseudo": true
   },
   {
    "name": "RequestStatus",
    "type": "String",
    "key": false,
    "description": "The status of the request. The allowed values are CLOSED_REQUESTS, OPEN_REQUESTS, ALL_REQUESTS.",
    "pseudo": true
   }
  ],
  "examples": [
   "SELECT * FROM Requests WHERE RequestID = '10001'",
   "SELECT * FROM Requests WHERE RequestTypeID = '12'",
   "SELECT * FROM Requests WHERE ServiceDeskID = '2'",
   "SELECT * FROM Requests WHERE RequestOwnership = 'admin'",
   "SELECT * FROM Requests WHERE RequestStatus = 'OPEN_REQUESTS'"
  ]
 },
 {
  "name": "RequestSLACycles",
  "kind": "view",
  "description": "This resource represents the SLAs (service level agreements) on a customer request.",
  "experimental": false,
  "columns": [
   {
    "name": "Id",
    "type": "String",
    "key": true,
    "description": "The ID of the SLA.",
    "pseudo": false
   },
   {
    "name": "RequestId",
    "type": "String",
    "key": true,
    "description": "The ID of the request.",
    "pseudo": false
   },
   {
    "name": "RequestKey",
    "type": "String",
    "key": true,
    "description": "The Key of the request.",
    "pseudo": false
   },
   {
    "name": "Name",
    "type": "String",
    "key": false,
    "description": "The Name of the cycle.",
    "pseudo": false
   },
   {
    "name": "OngoingCycleStartTime",
    "type": "Datetime",
    "key": false,
    "description": "Time and date at which the SLA cycle started.",
    "pseudo": false
   },
   {
    "name": "OngoingCycleBreached",
    "type": "Boolean",
    "key": false,
    "description": "Indicates whether the SLA has been breached or not.",
    "pseudo": false
   },
   {
    "name": "OngoingCycleBreachTime",
    "type": "Datetime",
    "key": false,
    "description": "Time and date at which the SLA cycle would have breached its limit.",
    "pseudo": false
   },
   {
    "name": "OngoingCyclePaused",
    "type": "Boolean",
    "key": false,
    "description": "Indicates whether the SLA is paused or not.",
    "pseudo": false
   },
   {
    "name": "OngoingCycleWithinCalendarHours",
    "type": "Boolean",
    "key": false,
    "description": "Indicates whether the SLA it timed during calendared working hours only or not",
    "pseudo": false
   },
   {
    "name": "OngoingCycleGoalDuration",
    "type": "String",
    "key": false,
    "description": "Duration within which the service should be completed.",
    "pseudo": false
   },
   {
    "name": "OngoingCycleElapsedTime",
    "type": "String",
    "key": false,
    "description": "Duration of the service.",
    "pseudo": false
   },
   {
    "name": "OngoingCycleRemainingTime",
    "type": "String",
    "key": false,
    "description": "Duration remaining for the service to be completed.",
    "pseudo": false
   },
   {
    "name": "CompletedCycleStartTime",
    "type": "Datetime",
    "key": false,
    "description": "Time and date at which the SLA cycle started.",
    "pseudo": false
   },
   {
    "name": "CompletedCycleStopTime",
    "type": "Datetime",
    "key": false,
    "description": "Time and date at which the SLA cycle completed.",
    "pseudo": false
   },
   {
    "name": "CompletedCycleBreached",
    "type": "Boolean",
    "key": false,
    "description": "Indicates whether the SLA has been breached or not.",
    "pseudo": false
   },
   {
    "name": "CompletedCycleBreachTime",
    "type": "Datetime",
    "key": false,
    "description": "Time and date at which the SLA cycle breached in case of completed breached cycle or would have breached in case of non-breached completed cycle.",
    "pseudo": false
   },
   {
    "name": "CompletedCycleGoalDuration",
    "type": "String",
    "key": false,
    "description": "Duration within which the service should have been completed.",
    "pseudo": false
   },
   {
    "name": "CompletedCycleElapsedTime",
    "type": "String",
    "key": false,
    "description": "Duration in which the service was completed.",
    "pseudo": false
   },
   {
    "name": "CompletedCycleRemainingTime",
    "type": "String",
    "key": false,
    "description": "Duration remaining after the service was completed.",
    "pseudo": false
   }
  ],
  "examples": []
 },
 {
  "name": "RequestStatusChangelog",
  "kind": "view",
  "description": "This resource represents the status transitions for a customer request.",
  "experimental": false,
  "columns": [
   {
    "name": "RequestId",
    "type": "String",
    "key": true,
    "description": "The ID of the request.",
    "pseudo": false
   },
   {
    "name": "RequestKey",
    "type": "String",
    "key": true,
    "description": "The Key of the request.",
    "pseudo": false
   },
   {
    "name": "Status",
    "type": "String",
    "key": false,
    "description": "The status of the request.",
    "pseudo": false
   },
   {
    "name": "StatusDate",
    "type": "Datetime",
    "key": false,
    "description": "The date of the request status.",
    "pseudo": false
   }
  ],
  "examples": [
   "SELECT * FROM RequestStatusChangelog WHERE RequestID = '10001'",
   "SELECT * FROM RequestStatusChangelog WHERE RequestKey = 'TEST-1'"
  ]
 },
 {
  "name": "RequestTypeFields",
  "kind": "view",
  "description": "The fields for a service desk's customer request type.",
  "experimental": false,
  "columns": [
   {
    "name": "ServiceDeskId",
    "type": "String",
    "key": false,
    "description": "The ID of the service desk containing the request types whose fields are to be returned.",
    "pseudo": false
   },
   {
    "name": "RequestTypeId",
    "type": "String",
    "key": false,
    "description": "The ID of the request types whose fields are to be returned.",
    "pseudo": false
   },
   {
    "name": "FieldId",
    "type": "String",
    "key": false,
    "description": "ID of the field.",
    "pseudo": false
   },
   {
    "name": "Name",
    "type": "String",
    "key": false,
    "description": "Name of the field.",
    "pseudo": false
   },
   {
    "name": "Description",
    "type": "String",
    "key": false,
    "description": "Description of the field.",
    "pseudo": false
   },
   {
    "name": "Required",
    "type": "Boolean",
    "key": false,
    "description": "Indicates if the field is required (true) or not (false).",
    "pseudo": false
   },
   {
    "name": "JiraSchema",
    "type": "String",
    "key": false,
    "description": "Jira specific implementation details for the field in the UI.",
    "pseudo": false
   },
   {
    "name": "ValidValues",
    "type": "String",
    "key": false,
    "description": "List of valid values for the field.",
    "pseudo": false
   },
   {
    "name": "DefaultValues",
    "type": "String",
    "key": false,
    "description": "List of default values for the field.",
    "pseudo": false
   },
   {
    "name": "Visible",
    "type": "Boolean",
    "key": false,
    "description": "Boolean incidating if the field is visible.",
    "pseudo": false
   },
   {
    "name": "Expand",
    "type": "String",
    "key": false,
    "description": "Use expand to include additional information in the response. This parameter accepts hiddenFields that returns hidden fields associated with the request type.",
    "pseudo": true
   }
  ],
  "examples": []
 },
 {
  "name": "RequestTypeGroups",
  "kind": "view",
  "description": "This resource represents a request type group.",
  "experimental": true,
  "columns": [
   {
    "name": "Id",
    "type": "String",
    "key": true,
    "description": "The ID of the request type group.",
    "pseudo": false
   },
   {
    "name": "ServiceDeskId",
    "type": "String",
    "key": true,
    "description": "The ID of the service desk.",
    "pseudo": false
   },
   {
    "name": "Name",
    "type": "String",
    "key": false,
    "description": "The Name of the request type group.",
    "pseudo": false
   }
  ],
  "examples": [
   "SELECT * FROM RequestTypeGroups WHERE ServiceDeskId = '1'"
  ]
 },
 {
  "name": "RequestTypes",
  "kind": "view",
  "description": "This resource represents a request type.",
  "experimental": false,
  "columns": [
   {
    "name": "Id",
    "type": "String",
    "key": true,
    "description": "The ID of the request type.",
    "pseudo": false
   },
   {
    "name": "ServiceDeskId",
    "type": "String",
    "key": true,
    "description": "The ID of the service desk.",
    "pseudo": false
   },
   {
    "name": "GroupIds",
    "type": "String",
    "key": false,
    "description": "The IDs of the groups that this request type is part of.",
    "pseudo": false
   },
   {
    "name": "Name",
    "type": "String",
    "key": false,
    "description": "The Name of the request type.",
    "pseudo": false
   },
   {
    "name": "Description",
    "type": "String",
    "key": false,
    "description": "The description of the request type.",
    "pseudo": false
   },
   {
    "name": "PortalId",
    "type": "String",
    "key": false,
    "description": "The ID of the customer portal associated with the service desk project.",
    "pseudo": false
   },
   {
    "name": "IssueTypeId",
    "type": "String",
    "key": false,
    "description": "The ID of the issue type the request type is based upon.",
    "pseudo": false
   },
   {
    "name": "SearchQuery",
    "type": "String",
    "key": false,
    "description": "String to be used to filter the results.",
    "pseudo": true
   }
  ],
  "examples": [
   "SELECT * FROM RequestTypes WHERE ServiceDeskId = '1'",
   "SELECT * FROM RequestTypes WHERE Id = '10012'",
   "SELECT * FROM RequestTypes WHERE GroupIds = '12'"
  ]
 },
 {
  "name": "ServiceDesks",
  "kind": "view",
  "description": "This resource represents a service desk. A service desk is based on a project in the JIRA platform, and is used to manage customer requests.",
  "experimental": false,
  "columns": [
   {
    "name": "Id",
    "type": "String",
    "key": true,
    "description": "The ID of the service desk.",
    "pseudo": false
   },
   {
    "name": "ProjectId",
    "type": "String",
    "key": false,
    "description": "The ID of the project.",
    "pseudo": false
   },
   {
    "name": "ProjectName",
    "type": "String",
    "key": false,
    "description": "The name of the project.",
    "pseudo": false
   },
   {
    "name": "ProjectKey",
    "type": "String",
    "key": false,
    "description": "The key of the project.",
    "pseudo": false
   }
  ],
  "examples": [
   "SELECT * FROM ServiceDesks WHERE ID = '1'"
  ]
 },
 {
  "name": "Users",
  "kind": "view",
  "description": "This resource represents a user.",
  "experimental": true,
  "columns": [
   {
    "name": "AccountId",
    "type": "String",
    "key": true,
    "description": "The Account ID of the user.",
    "pseudo": false
   },
   {
    "name": "OrganizationId",
    "type": "String",
    "key": true,
    "description": "The ID of the organization.",
    "pseudo": false
   },
   {
    "name": "EmailAddress",
    "type": "String",
    "key": false,
    "description": "The Email address of the user.",
    "pseudo": false
   },
   {
    "name": "DisplayName",
    "type": "String",
    "key": false,
    "description": "The display name of the user.",
    "pseudo": false
   },
   {
    "name": "Active",
    "type": "Boolean",
    "key": false,
    "description": "Shows if a user is active.",
    "pseudo": false
   },
   {
    "name": "TimeZone",
    "type": "String",
    "key": false,
    "description": "The time zone of the user.",
    "pseudo": false
   }
  ],
  "examples": []
 }
];

export const SEED_PROCEDURES: SeedProcedure[] = [
 {
  "name": "AddAttachment",
  "description": "Creates a temporary attachment or assigns a temporary one to a request.",
  "params": [
   {
    "name": "RequestId",
    "type": "String",
    "required": false,
    "description": "Set this to the request Id."
   },
   {
    "name": "RequestKey",
    "type": "String",
    "required": false,
    "description": "Set this to the request Key."
   },
   {
    "name": "AttachmentId",
    "type": "String",
    "required": true,
    "description": "Set this to the temporary attachment Id."
   },
   {
    "name": "Public",
    "type": "String",
    "required": false,
    "description": "Set this to specify if the attachment will be public or internal."
   },
   {
    "name": "AdditionalComment",
    "type": "String",
    "required": false,
    "description": "Set this to the body of the comment."
   }
  ],
  "result": [
   {
    "name": "Success",
    "type": "String",
    "description": "The result of the procedure."
   }
  ]
 },
 {
  "name": "AttachTemporaryFile",
  "description": "This method adds one or more temporary attachments to a service desk, which can then be permanently attached to a customer request using AddAttachment stored procedure.",
  "params": [
   {
    "name": "Source",
    "type": "String",
    "required": false,
    "description": "The path of the file."
   }
  ],
  "result": [
   {
    "name": "TemporaryAttachmentId",
    "type": "String",
    "description": "The ID of the temporary attachment."
   },
   {
    "name": "FileName",
    "type": "String",
    "description": "The file name."
   }
  ]
 },
 {
  "name": "CreateCustomer",
  "description": "Creates a new customer.",
  "params": [
   {
    "name": "Email",
    "type": "String",
    "required": false,
    "description": "The Email of the new customer."
   },
   {
    "name": "FullName",
    "type": "String",
    "required": false,
    "description": "The full name of the new customer."
   }
  ],
  "result": [
   {
    "name": "Key",
    "type": "String",
    "description": "The Key of the customer."
   },
   {
    "name": "AccountId",
    "type": "String",
    "description": "The ID of the account."
   },
   {
    "name": "Name",
    "type": "String",
    "description": "Name of the customer."
   },
   {
    "name": "EmailAddress",
    "type": "String",
    "description": "Email address of the customer."
   },
   {
    "name": "DisplayName",
    "type": "String",
    "description": "Display name of the customer."
   },
   {
    "name": "Active",
    "type": "String",
    "description": "Status of the customer."
   },
   {
    "name": "Timezone",
    "type": "String",
    "description": "Timezone of the customer."
   }
  ]
 },
 {
  "name": "CreateSchema",
  "description": "Creates a schema file for the specified table or view.",
  "params": [
   {
    "name": "TableName",
    "type": "String",
    "required": true,
    "description": "The name of the table or view."
   },
   {
    "name": "FileName",
    "type": "String",
    "required": true,
    "description": "The full file path and name of the schema to generate. Ex : 'C:\\Users\\User\\Desktop\\JiraSD\\DataSetTest.rsd'"
   }
  ],
  "result": [
   {
    "name": "Result",
    "type": "String",
    "description": "Returns Success or Failure."
   }
  ]
 },
 {
  "name": "GetOAuthAccessToken",
  "description": "Gets an authentication token from JIRA.",
  "params": [
   {
    "name": "AuthMode",
    "type": "String",
    "required": false,
    "description": "Enter either APP or WEB. The type of authentication mode to use. Set to APP to get authentication tokens via a desktop app. Set to WEB to get authentication tokens via a Web app. The default value is APP."
   },
   {
    "name": "Verifier",
    "type": "String",
    "required": false,
    "description": "The verifier token returned by JIRA after using the URL obtained with GetOAuthAuthorizationURL. Required for only the Web AuthMode."
   },
   {
    "name": "Scope",
    "type": "String",
    "required": false,
    "description": "A comma-separated list of permissions to request from the user. Please check the Square API for a list of available permissions. The default value is read:jira-work write:jira-work manage:jira-configuration read:jira-user write:jira-work manage:jira-project read:servicedesk-request write:servicedesk-request manage:servicedesk-customer offline_access."
   },
   {
    "name": "CallbackUrl",
    "type": "String",
    "required": false,
    "description": "The URL the user will be redirected to after authorizing your application. This value must match the Redirect URL in the JIRA app settings."
   },
   {
    "name": "AuthToken",
    "type": "String",
    "required": false,
    "description": "The request token returned by GetOAuthAuthorizationURL. Required for only the Web AuthMode. Used for OAuth 1.0."
   },
   {
    "name": "AuthKey",
    "type": "String",
    "required": false,
    "description": "The request token secret returned by GetOAuthAuthorizationURL. Required for only the Web AuthMode. Used for OAuth 1.0."
   }
  ],
  "result": [
   {
    "name": "OAuthAccessToken",
    "type": "String",
    "description": "The access token used for communication with JIRA."
   },
   {
    "name": "OAuthAccessTokenSecret",
    "type": "String",
    "description": "The access token secret used for communication with JIRA."
   },
   {
    "name": "OAuthRefreshToken",
    "type": "String",
    "description": "A token that may be used to obtain a new access token."
   },
   {
    "name": "CloudId",
    "type": "String",
    "description": "The Cloud ID for the Atlassian site that was authorized."
   },
   {
    "name": "ExpiresIn",
    "type": "String",
    "description": "The remaining lifetime on the access token. A -1 denotes that it will not expire."
   }
  ]
 },
 {
  "name": "GetOAuthAuthorizationURL",
  "description": "Gets the authorization URL that must be opened separately by the user to grant access to your application. Only needed when developing Web apps. You will request the auth token from this URL.",
  "params": [
   {
    "name": "CallbackUrl",
    "type": "String",
    "required": false,
    "description": "The URL the user will be redirected to after authorizing your application."
   },
   {
    "name": "Scope",
    "type": "String",
    "required": false,
    "description": "A comma-separated list of permissions to request from the user. Please check the JIRA API for a list of available permissions. The default value is read:jira-work write:jira-work manage:jira-configuration read:jira-user write:jira-work manage:jira-project read:servicedesk-request write:servicedesk-request manage:servicedesk-customer offline_access."
   },
   {
    "name": "State",
    "type": "String",
    "required": false,
    "description": "Indicates any state which may be useful to your application upon receipt of the response. Your application receives the same value it sent, as this parameter makes a round-trip to the QuickBooksOnline authorization server and back. Uses include redirecting the user to the correct resource in your site, using nonces, and mitigating cross-site request forgery."
   }
  ],
  "result": [
   {
    "name": "URL",
    "type": "String",
    "description": "The authorization URL, entered into a Web browser to obtain the verifier token and authorize your app."
   },
   {
    "name": "AuthToken",
    "type": "String",
    "description": "A token used as input for the GetOAuthAccessToken stored procedure to verify the request and get the access token."
   },
   {
    "name": "AuthKey",
    "type": "String",
    "description": "A key used as input for the GetOAuthAccessToken stored procedure to verify the request and get the secret key."
   }
  ]
 },
 {
  "name": "RefreshOAuthAccessToken",
  "description": "Refreshes the OAuth access token used for authentication with JiraServiceDesk.",
  "params": [
   {
    "name": "OAuthRefreshToken",
    "type": "String",
    "required": true,
    "description": "Set this to the token value that expired."
   }
  ],
  "result": [
   {
    "name": "OAuthAccessToken",
    "type": "String",
    "description": "The authentication token returned from JiraServiceDesk. This can be used in subsequent calls to other operations for this particular service."
   },
   {
    "name": "OAuthRefreshToken",
    "type": "String",
    "description": "This is the same as the access token."
   },
   {
    "name": "ExpiresIn",
    "type": "String",
    "description": "The remaining lifetime on the access token."
   }
  ]
 }
];

export const SEED_SYS_TABLES: SeedSysTable[] = [
 {
  "name": "sys_catalogs",
  "columns": [
   {
    "name": "CatalogName",
    "type": "String",
    "description": "The database name."
   }
  ],
  "examples": [
   "SELECT * FROM sys_catalogs"
  ]
 },
 {
  "name": "sys_schemas",
  "columns": [
   {
    "name": "CatalogName",
    "type": "String",
    "description": "The database name."
   },
   {
    "name": "SchemaName",
    "type": "String",
    "description": "The schema name."
   }
  ],
  "examples": [
   "SELECT * FROM sys_schemas"
  ]
 },
 {
  "name": "sys_tables",
  "columns": [
   {
    "name": "CatalogName",
    "type": "String",
    "description": "The database containing the table or view."
   },
   {
    "name": "SchemaName",
    "type": "String",
    "description": "The schema containing the table or view."
   },
   {
    "name": "TableName",
    "type": "String",
    "description": "The name of the table or view."
   },
   {
    "name": "TableType",
    "type": "String",
    "description": "The table type (table or view)."
   },
   {
    "name": "Description",
    "type": "String",
    "description": "A description of the table or view."
   },
   {
    "name": "IsUpdateable",
    "type": "Boolean",
    "description": "Whether the table can be updated."
   }
  ],
  "examples": [
   "SELECT * FROM sys_tables"
  ]
 },
 {
  "name": "sys_tablecolumns",
  "columns": [
   {
    "name": "CatalogName",
    "type": "String",
    "description": "The name of the database containing the table or view."
   },
   {
    "name": "SchemaName",
    "type": "String",
    "description": "The schema containing the table or view."
   },
   {
    "name": "TableName",
    "type": "String",
    "description": "The name of the table or view containing the column."
   },
   {
    "name": "ColumnName",
    "type": "String",
    "description": "The column name."
   },
   {
    "name": "DataTypeName",
    "type": "String",
    "description": "The data type name."
   },
   {
    "name": "DataType",
    "type": "Int32",
    "description": "An integer indicating the data type. This value is determined at run time based on the environment."
   },
   {
    "name": "Length",
    "type": "Int32",
    "description": "The storage size of the column."
   },
   {
    "name": "DisplaySize",
    "type": "Int32",
    "description": "The designated column's normal maximum width in characters."
   },
   {
    "name": "NumericPrecision",
    "type": "Int32",
    "description": "The maximum number of digits in numeric data. The column length in characters for character and date-time data."
   },
   {
    "name": "NumericScale",
    "type": "Int32",
    "description": "The column scale or number of digits to the right of the decimal point."
   },
   {
    "name": "IsNullable",
    "type": "Boolean",
    "description": "Whether the column can contain null."
   },
   {
    "name": "Description",
    "type": "String",
    "description": "A brief description of the column."
   },
   {
    "name": "Ordinal",
    "type": "Int32",
    "description": "The sequence number of the column."
   },
   {
    "name": "IsAutoIncrement",
    "type": "String",
    "description": "Whether the column value is assigned in fixed increments."
   },
   {
    "name": "IsGeneratedColumn",
    "type": "String",
    "description": "Whether the column is generated."
   },
   {
    "name": "IsHidden",
    "type": "Boolean",
    "description": "Whether the column is hidden."
   },
   {
    "name": "IsArray",
    "type": "Boolean",
    "description": "Whether the column is an array."
   },
   {
    "name": "IsReadOnly",
    "type": "Boolean",
    "description": "Whether the column is read-only."
   },
   {
    "name": "IsKey",
    "type": "Boolean",
    "description": "Indicates whether a field returned from sys_tablecolumns is the primary key of the table."
   }
  ],
  "examples": [
   "SELECT ColumnName, DataTypeName FROM sys_tablecolumns WHERE TableName='Requests'"
  ]
 },
 {
  "name": "sys_procedures",
  "columns": [
   {
    "name": "CatalogName",
    "type": "String",
    "description": "The database containing the stored procedure."
   },
   {
    "name": "SchemaName",
    "type": "String",
    "description": "The schema containing the stored procedure."
   },
   {
    "name": "ProcedureName",
    "type": "String",
    "description": "The name of the stored procedure."
   },
   {
    "name": "Description",
    "type": "String",
    "description": "A description of the stored procedure."
   },
   {
    "name": "ProcedureType",
    "type": "String",
    "description": "The type of the procedure, such as PROCEDURE or FUNCTION."
   }
  ],
  "examples": [
   "SELECT * FROM sys_procedures"
  ]
 },
 {
  "name": "sys_procedureparameters",
  "columns": [
   {
    "name": "CatalogName",
    "type": "String",
    "description": "The name of the database containing the stored procedure."
   },
   {
    "name": "SchemaName",
    "type": "String",
    "description": "The name of the schema containing the stored procedure."
   },
   {
    "name": "ProcedureName",
    "type": "String",
    "description": "The name of the stored procedure containing the parameter."
   },
   {
    "name": "ColumnName",
    "type": "String",
    "description": "The name of the stored procedure parameter."
   },
   {
    "name": "Direction",
    "type": "Int32",
    "description": "An integer corresponding to the type of the parameter: input (1), input/output (2), or output(4). input/output type parameters can be both input and output parameters."
   },
   {
    "name": "DataTypeName",
    "type": "String",
    "description": "The name of the data type."
   },
   {
    "name": "DataType",
    "type": "Int32",
    "description": "An integer indicating the data type. This value is determined at run time based on the environment."
   },
   {
    "name": "Length",
    "type": "Int32",
    "description": "The number of characters allowed for character data. The number of digits allowed for numeric data."
   },
   {
    "name": "NumericPrecision",
    "type": "Int32",
    "description": "The maximum precision for numeric data. The column length in characters for character and date-time data."
   },
   {
    "name": "NumericScale",
    "type": "Int32",
    "description": "The number of digits to the right of the decimal point in numeric data."
   },
   {
    "name": "IsNullable",
    "type": "Boolean",
    "description": "Whether the parameter can contain null."
   },
   {
    "name": "IsRequired",
    "type": "Boolean",
    "description": "Whether the parameter is required for execution of the procedure."
   },
   {
    "name": "IsArray",
    "type": "Boolean",
    "description": "Whether the parameter is an array."
   },
   {
    "name": "Description",
    "type": "String",
    "description": "The description of the parameter."
   },
   {
    "name": "Ordinal",
    "type": "Int32",
    "description": "The index of the parameter."
   }
  ],
  "examples": [
   "SELECT * FROM sys_procedureparameters WHERE ProcedureName='SampleProcedure' AND Direction=1 OR Direction=2"
  ]
 },
 {
  "name": "sys_keycolumns",
  "columns": [
   {
    "name": "CatalogName",
    "type": "String",
    "description": "The name of the database containing the key."
   },
   {
    "name": "SchemaName",
    "type": "String",
    "description": "The name of the schema containing the key."
   },
   {
    "name": "TableName",
    "type": "String",
    "description": "The name of the table containing the key."
   },
   {
    "name": "ColumnName",
    "type": "String",
    "description": "The name of the key column."
   },
   {
    "name": "IsKey",
    "type": "Boolean",
    "description": "Whether the column is a primary key in the table referenced in the TableName field."
   },
   {
    "name": "IsForeignKey",
    "type": "Boolean",
    "description": "Whether the column is a foreign key referenced in the TableName field."
   },
   {
    "name": "PrimaryKeyName",
    "type": "String",
    "description": "The name of the primary key."
   },
   {
    "name": "ForeignKeyName",
    "type": "String",
    "description": "The name of the foreign key."
   },
   {
    "name": "ReferencedCatalogName",
    "type": "String",
    "description": "The database containing the primary key."
   },
   {
    "name": "ReferencedSchemaName",
    "type": "String",
    "description": "The schema containing the primary key."
   },
   {
    "name": "ReferencedTableName",
    "type": "String",
    "description": "The table containing the primary key."
   },
   {
    "name": "ReferencedColumnName",
    "type": "String",
    "description": "The column name of the primary key."
   }
  ],
  "examples": [
   "SELECT * FROM sys_keycolumns WHERE IsKey='True' AND TableName='Requests'"
  ]
 },
 {
  "name": "sys_foreignkeys",
  "columns": [
   {
    "name": "CatalogName",
    "type": "String",
    "description": "The name of the database containing the key."
   },
   {
    "name": "SchemaName",
    "type": "String",
    "description": "The name of the schema containing the key."
   },
   {
    "name": "TableName",
    "type": "String",
    "description": "The name of the table containing the key."
   },
   {
    "name": "ColumnName",
    "type": "String",
    "description": "The name of the key column."
   },
   {
    "name": "PrimaryKeyName",
    "type": "String",
    "description": "The name of the primary key."
   },
   {
    "name": "ForeignKeyName",
    "type": "String",
    "description": "The name of the foreign key."
   },
   {
    "name": "ReferencedCatalogName",
    "type": "String",
    "description": "The database containing the primary key."
   },
   {
    "name": "ReferencedSchemaName",
    "type": "String",
    "description": "The schema containing the primary key."
   },
   {
    "name": "ReferencedTableName",
    "type": "String",
    "description": "The table containing the primary key."
   },
   {
    "name": "ReferencedColumnName",
    "type": "String",
    "description": "The column name of the primary key."
   },
   {
    "name": "ForeignKeyType",
    "type": "String",
    "description": "Designates whether the foreign key is an import (points to other tables) or export (referenced from other tables) key."
   }
  ],
  "examples": [
   "SELECT * FROM sys_foreignkeys WHERE ForeignKeyType = 'FOREIGNKEY_TYPE_IMPORT'"
  ]
 },
 {
  "name": "sys_primarykeys",
  "columns": [
   {
    "name": "CatalogName",
    "type": "String",
    "description": "The name of the database containing the key."
   },
   {
    "name": "SchemaName",
    "type": "String",
    "description": "The name of the schema containing the key."
   },
   {
    "name": "TableName",
    "type": "String",
    "description": "The name of the table containing the key."
   },
   {
    "name": "ColumnName",
    "type": "String",
    "description": "The name of the key column."
   },
   {
    "name": "KeySeq",
    "type": "String",
    "description": "The sequence number of the primary key."
   },
   {
    "name": "KeyName",
    "type": "String",
    "description": "The name of the primary key."
   }
  ],
  "examples": [
   "SELECT * FROM sys_primarykeys"
  ]
 },
 {
  "name": "sys_indexes",
  "columns": [
   {
    "name": "CatalogName",
    "type": "String",
    "description": "The name of the database containing the index."
   },
   {
    "name": "SchemaName",
    "type": "String",
    "description": "The name of the schema containing the index."
   },
   {
    "name": "TableName",
    "type": "String",
    "description": "The name of the table containing the index."
   },
   {
    "name": "IndexName",
    "type": "String",
    "description": "The index name."
   },
   {
    "name": "ColumnName",
    "type": "String",
    "description": "The name of the column associated with the index."
   },
   {
    "name": "IsUnique",
    "type": "Boolean",
    "description": "True if the index is unique. False otherwise."
   },
   {
    "name": "IsPrimary",
    "type": "Boolean",
    "description": "True if the index is a primary key. False otherwise."
   },
   {
    "name": "Type",
    "type": "Int16",
    "description": "An integer value corresponding to the index type: statistic (0), clustered (1), hashed (2), or other (3)."
   },
   {
    "name": "SortOrder",
    "type": "String",
    "description": "The sort order: A for ascending or D for descending."
   },
   {
    "name": "OrdinalPosition",
    "type": "Int16",
    "description": "The sequence number of the column in the index."
   }
  ],
  "examples": [
   "SELECT * FROM sys_indexes WHERE IsPrimary='false'"
  ]
 },
 {
  "name": "sys_connection_props",
  "columns": [
   {
    "name": "Name",
    "type": "String",
    "description": "The name of the connection property."
   },
   {
    "name": "ShortDescription",
    "type": "String",
    "description": "A brief description."
   },
   {
    "name": "Type",
    "type": "String",
    "description": "The data type of the connection property."
   },
   {
    "name": "Default",
    "type": "String",
    "description": "The default value if one is not explicitly set."
   },
   {
    "name": "Values",
    "type": "String",
    "description": "A comma-separated list of possible values. A validation error is thrown if another value is specified."
   },
   {
    "name": "Value",
    "type": "String",
    "description": "The value you set or a preconfigured default."
   },
   {
    "name": "Required",
    "type": "Boolean",
    "description": "Whether the property is required to connect."
   },
   {
    "name": "Category",
    "type": "String",
    "description": "The category of the connection property."
   },
   {
    "name": "IsSessionProperty",
    "type": "String",
    "description": "Whether the property is a session property, used to save information about the current connection."
   },
   {
    "name": "Sensitivity",
    "type": "String",
    "description": "The sensitivity level of the property. This informs whether the property is obfuscated in logging and authentication forms."
   },
   {
    "name": "PropertyName",
    "type": "String",
    "description": "A camel-cased truncated form of the connection property name."
   },
   {
    "name": "Ordinal",
    "type": "Int32",
    "description": "The index of the parameter."
   },
   {
    "name": "CatOrdinal",
    "type": "Int32",
    "description": "The index of the parameter category."
   },
   {
    "name": "Hierarchy",
    "type": "String",
    "description": "Shows dependent properties associated that need to be set alongside this one."
   },
   {
    "name": "Visible",
    "type": "Boolean",
    "description": "Informs whether the property is visible in the connection UI."
   },
   {
    "name": "ETC",
    "type": "String",
    "description": "Various miscellaneous information about the property."
   }
  ],
  "examples": [
   "SELECT * FROM sys_connection_props WHERE Value <> ''"
  ]
 },
 {
  "name": "sys_sqlinfo",
  "columns": [
   {
    "name": "NAME",
    "type": "String",
    "description": "A component of SQL syntax, or a capability that can be processed on the server."
   },
   {
    "name": "VALUE",
    "type": "String",
    "description": "Detail on the supported SQL or SQL syntax."
   }
  ],
  "examples": []
 },
 {
  "name": "sys_identity",
  "columns": [
   {
    "name": "Id",
    "type": "String",
    "description": "The database-generated ID returned from a data modification operation."
   },
   {
    "name": "Batch",
    "type": "String",
    "description": "An identifier for the batch. 1 for a single operation."
   },
   {
    "name": "Operation",
    "type": "String",
    "description": "The result of the operation in the batch: INSERTED, UPDATED, or DELETED."
   },
   {
    "name": "Message",
    "type": "String",
    "description": "SUCCESS or an error message if the update in the batch failed."
   }
  ],
  "examples": [
   "SELECT * FROM sys_identity"
  ]
 }
];
