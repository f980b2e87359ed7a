// The UI text the tests look for, in both languages, as src/i18n.rs defines it. Written
// out here on purpose: a label that changes by accident should fail a test, not follow it.

export type Lang = "en" | "zh";

export interface UiText {
  appName: string;
  languageSwitch: string;
  newInspection: string;
  drafts: string;
  completed: string;
  noDrafts: string;
  noCompleted: string;
  unnamedSite: string;
  answered: string;
  lastChange: string;
  unreadableTitle: string;
  copyRaw: string;
  copied: string;
  showRaw: string;
  pickSector: string;
  siteName: string;
  address: string;
  category: string;
  enterprise: string;
  principal: string;
  principalPhone: string;
  uscc: string;
  department: string;
  inspectors: string;
  required: string;
  phoneInvalid: string;
  toChecklist: string;
  checklist: string;
  editDetails: string;
  jumpToSection: string;
  basis: string;
  note: string;
  addNote: string;
  hazardNoteLabel: string;
  hazardNeedsNote: string;
  nextUnanswered: string;
  allAnswered: string;
  review: string;
  counts: string;
  hazardsFound: string;
  noHazards: string;
  missing: string;
  nothingMissing: string;
  unanswered: string;
  complete: string;
  completeBlocked: string;
  completedOn: string;
  readOnly: string;
  saved: string;
  saving: string;
  storageFull: string;
  updateReady: string;
  updateNow: string;
  updateBlocked: string;
  compliant: string;
  hazard: string;
  notApplicable: string;
  settings: string;
  settingsSaved: string;
  endpoint: string;
  endpointHint: string;
  token: string;
  inspectorName: string;
  inspectorId: string;
  save: string;
  testConnection: string;
  connectionOk: string;
  connectionFailed: string;
  endpointNotUrl: string;
  endpointInsecure: string;
  endpointScheme: string;
  endpointQuery: string;
  unsent: string;
  sendNow: string;
  authPaused: string;
  deliveryQueued: string;
  deliverySending: string;
  deliveryDelivered: string;
  deliveryFailed: string;
  deliveryConflict: string;
  deliveryTooLarge: string;
  deliveryRejected: string;
  tries: string;
  nextTry: string;
  tokenRefused: string;
  // Hazards, the register, re-inspection and checklist import (issue 4).
  notAHazard: string;
  hazardTitle: string;
  grade: string;
  gradeChoice: string;
  gradeByRule: string;
  gradeRaise: string;
  gradeLower: string;
  lowerReason: string;
  lowerReasonNeeded: string;
  rectification: string;
  onTheSpot: string;
  backToChecklist: string;
  requiredMissing: string;
  deadlineInvalid: string;
  optional: string;
  gradeMajor: string;
  gradeGeneral: string;
  gradeSuspected: string;
  awaitingDetermination: string;
  determinedMajor: string;
  determinedNotMajor: string;
  determination: string;
  recordDetermination: string;
  withdrawDetermination: string;
  determinationDate: string;
  participants: string;
  personName: string;
  personRole: string;
  addParticipant: string;
  addPanelMember: string;
  panelConvened: string;
  votesInFavour: string;
  conclusionMajor: string;
  conclusionNotMajor: string;
  determinationReason: string;
  determinationSettled: string;
  determinationUnsettled: string;
  determinationNoneDelivered: string;
  rectOnTheSpotNote: string;
  rectMeasures: string;
  rectUnit: string;
  rectPerson: string;
  rectRole: string;
  rectPhone: string;
  rectFunds: string;
  rectDeadline: string;
  rectContingency: string;
  rectSupervisor: string;
  registerTitle: string;
  partUnavailableTitle: string;
  registerEmpty: string;
  filterSite: string;
  filterSector: string;
  filterAll: string;
  showClosed: string;
  statusOpen: string;
  overdue: string;
  statusOnTheSpot: string;
  statusClosed: string;
  reinspectSite: string;
  registerLink: string;
  openHazards: string;
  majorOpen: string;
  followUpTitle: string;
  followUpOf: string;
  verdict: string;
  verdictRectified: string;
  verdictNotRectified: string;
  verdictNote: string;
  verdictMissing: string;
  exclusions: string;
  exclusionsHint: string;
  responsibilities: string;
  principalLabel: string;
  inspectedBy: string;
  supervisedBy: string;
  open: string;
  home: string;
  notFound: string;
  archiveUnreadable: string;
  checklistUnavailable: string;
  templateMissing: string;
  catalogueFailed: string;
  templatesBroken: string;
  itemsCount: string;
  importTitle: string;
  importFile: string;
  importServer: string;
  importWorking: string;
  importDone: string;
  importRefused: string;
  importUnreadableFile: string;
  importServerFailed: string;
  // Evidence and the report: photos, location, signatures, print, export and backup (issue 5).
  photos: string;
  photoTake: string;
  photoChoose: string;
  photoLocating: string;
  photoProcessing: string;
  photoSaved: string;
  photoDeleted: string;
  photoOf: string;
  photoDelete: string;
  photoDeleteConfirm: string;
  photoDeleteYes: string;
  photoDeleteNo: string;
  photoLocked: string;
  noPosition: string;
  accuracyPoor: string;
  accuracyImprecise: string;
  locationDenied: string;
  locationUnavailable: string;
  locationTitle: string;
  locationNone: string;
  recordLocation: string;
  recordLocationAgain: string;
  signatures: string;
  noSignatures: string;
  signerName: string;
  signerRole: string;
  roleInspector: string;
  roleSiteRep: string;
  signaturePad: string;
  signatureClear: string;
  sign: string;
  signatureSaved: string;
  signatureNeedsName: string;
  signatureNeedsInk: string;
  signatureOf: string;
  signLocks: string;
  signWhenReady: string;
  signedLocked: string;
  completeAfterSigning: string;
  report: string;
  print: string;
  reportPhotos: string;
  reportDate: string;
  dataTitle: string;
  exportAllJson: string;
  exportAllCsv: string;
  backupUnsent: string;
  restoreBackup: string;
  exportNothing: string;
  exportDone: string;
  backupDone: string;
  restoreRestored: string;
  restoreExisting: string;
  restoreReplaced: string;
  restorePictures: string;
  storageTitle: string;
  storagePersistent: string;
  storageBestEffort: string;
  storageUnknown: string;
  storageUsed: string;
  storageOf: string;
}

export const EN: UiText = {
  appName: "Safewalk",
  languageSwitch: "中文",
  newInspection: "New inspection",
  drafts: "Drafts",
  completed: "Completed",
  noDrafts: "No drafts yet. Tap “New inspection” to start.",
  noCompleted: "No completed inspections yet.",
  unnamedSite: "(site name not entered)",
  answered: "answered",
  lastChange: "Last change",
  unreadableTitle: "Drafts that could not be opened",
  copyRaw: "Copy raw text",
  copied: "Copied",
  showRaw: "Show raw text",
  pickSector: "Choose a checklist",
  siteName: "Site name",
  address: "Address",
  category: "Site category",
  enterprise: "Enterprise / organisation",
  principal: "Principal in charge / legal representative",
  principalPhone: "Principal's phone",
  uscc: "Unified social credit code",
  department: "Inspecting department",
  inspectors: "Inspectors",
  required: "required",
  phoneInvalid: "This does not look like a phone number",
  toChecklist: "Go to checklist",
  checklist: "Checklist",
  editDetails: "Edit site details",
  jumpToSection: "Jump to section",
  basis: "Basis",
  note: "Note",
  addNote: "Add note",
  hazardNoteLabel: "Describe the hazard (required)",
  hazardNeedsNote: "A hazard needs a description",
  nextUnanswered: "Next unanswered",
  allAnswered: "All answered",
  review: "Review",
  counts: "Results",
  hazardsFound: "Hazards found",
  noHazards: "No hazards found.",
  missing: "Still missing",
  nothingMissing: "Nothing missing: the inspection can be completed.",
  unanswered: "not answered",
  complete: "Complete inspection",
  completeBlocked: "Fill in what is listed above first",
  completedOn: "Completed",
  readOnly: "This inspection is completed and read-only.",
  saved: "Saved on this device",
  saving: "Saving…",
  storageFull: "This device's storage is full",
  updateReady: "A new version is ready.",
  updateNow: "Update now",
  updateBlocked: "Not updating yet: some changes are not saved on this device. Free some storage space first; update once they are saved.",
  compliant: "Compliant",
  hazard: "Hazard found",
  notApplicable: "Not applicable",
  settings: "Settings",
  settingsSaved: "Settings saved",
  endpoint: "Endpoint (receiving server)",
  endpointHint: "Leave empty to send to the server this app came from. Must be https; http only for this machine.",
  token: "Access token",
  inspectorName: "Inspector name",
  inspectorId: "Inspector ID",
  save: "Save",
  testConnection: "Test connection",
  connectionOk: "Connected: the receiving server answered.",
  connectionFailed: "Connection failed: ",
  endpointNotUrl: "Not a valid address: enter a full URL such as https://example.cn",
  endpointInsecure: "Not secure: other servers must use https (http only for this machine)",
  endpointScheme: "Only http and https addresses are supported",
  endpointQuery: "The address must not contain ? or #",
  unsent: "not yet sent",
  sendNow: "Send now",
  authPaused: "The server refused the access token; sending is paused. Check the token in Settings: ",
  deliveryQueued: "Waiting to send",
  deliverySending: "Sending…",
  deliveryDelivered: "Delivered",
  deliveryFailed: "Not sent yet, will retry",
  deliveryConflict: "Conflict: the server holds different content under this id; kept on this device",
  deliveryTooLarge: "Too large for the server; kept on this device",
  deliveryRejected: "Refused by the server; kept on this device: ",
  tries: "tries",
  nextTry: "next try",
  tokenRefused: "the server answers, but refuses this access token",
  // Hazards, the register, re-inspection and checklist import (issue 4).
  notAHazard: "This item is not recorded as a hazard.",
  hazardTitle: "Hazard and rectification",
  grade: "Grade",
  gradeChoice: "Grade decision",
  gradeByRule: "As the rules determine",
  gradeRaise: "Raise to major",
  gradeLower: "Lower to general (needs a reason)",
  lowerReason: "Reason for lowering",
  lowerReasonNeeded: "The rules make this major: lowering it needs a written reason.",
  rectification: "Rectification",
  onTheSpot: "Rectified on the spot",
  backToChecklist: "Back to the checklist",
  requiredMissing: "Required.",
  deadlineInvalid: "Enter a valid date.",
  optional: "optional",
  gradeMajor: "Major hazard",
  gradeGeneral: "General hazard",
  gradeSuspected: "Suspected major fire hazard",
  awaitingDetermination: "awaiting collective determination",
  determinedMajor: "collectively determined",
  determinedNotMajor: "determined not a major fire hazard",
  determination: "Collective determination",
  recordDetermination: "Record collective determination",
  withdrawDetermination: "Withdraw the determination",
  determinationDate: "Date of the discussion",
  participants: "Participants",
  personName: "Name",
  personRole: "Post or unit",
  addParticipant: "Add participant",
  addPanelMember: "Add panel member",
  panelConvened: "An expert panel was convened",
  votesInFavour: "Votes in favour",
  conclusionMajor: "Major fire hazard",
  conclusionNotMajor: "Not a major fire hazard",
  determinationReason: "Reason",
  determinationSettled: "Recorded: the hazards are graded by the conclusions.",
  determinationUnsettled: "Not complete: the hazards stay suspected until this is filled in:",
  determinationNoneDelivered: "No collective determination recorded: the hazards were delivered as suspected.",
  rectOnTheSpotNote: "How it was fixed on the spot",
  rectMeasures: "Measures",
  rectUnit: "Responsible unit",
  rectPerson: "Responsible person",
  rectRole: "Their role",
  rectPhone: "Their phone",
  rectFunds: "Funds",
  rectDeadline: "Deadline",
  rectContingency: "Contingency plan until fixed",
  rectSupervisor: "Supervising official (listed supervision)",
  registerTitle: "Hazard register",
  partUnavailableTitle: "This screen could not be opened",
  registerEmpty: "No hazards match.",
  filterSite: "Site",
  filterSector: "Sector",
  filterAll: "All",
  showClosed: "Show closed hazards",
  statusOpen: "Open",
  overdue: "Overdue",
  statusOnTheSpot: "Rectified on the spot",
  statusClosed: "Verified and closed",
  reinspectSite: "Re-inspect this site",
  registerLink: "Hazard register",
  openHazards: "open hazards",
  majorOpen: "major",
  followUpTitle: "Re-inspection",
  followUpOf: "Follow-up of inspection",
  verdict: "Verdict",
  verdictRectified: "Rectified",
  verdictNotRectified: "Not rectified",
  verdictNote: "What was found",
  verdictMissing: "no verdict yet",
  exclusions: "Exclusions from major-hazard determination",
  exclusionsHint: "If one of these applies, rule-determined majors are set aside (per the rule set).",
  responsibilities: "Who is responsible",
  principalLabel: "Principal of the enterprise",
  inspectedBy: "Inspected by",
  supervisedBy: "supervised by",
  open: "Open",
  home: "Home",
  notFound: "This inspection could not be found.",
  archiveUnreadable: "Its record cannot be read from this phone's storage (damaged or missing). It was delivered: the office holds it.",
  checklistUnavailable: "Checklist version not available",
  templateMissing: "The checklist version this draft was started with is not available in this app:",
  catalogueFailed: "The built-in checklist catalogue could not be loaded; checklists kept on this device and imported ones still work.",
  templatesBroken: "Some built-in checklists could not be read:",
  itemsCount: "items",
  importTitle: "Add checklists",
  importFile: "Import from a file",
  importServer: "Fetch from the receiver",
  importWorking: "Importing…",
  importDone: "Checklists read:",
  importRefused: "These entries are invalid and were not imported:",
  importUnreadableFile: "The file could not be read.",
  importServerFailed: "Could not fetch checklists from the receiver:",
  // Evidence and the report: photos, location, signatures, print, export and backup (issue 5).
  photos: "Photos",
  photoTake: "Take photo",
  photoChoose: "Choose photo",
  photoLocating: "Getting the location…",
  photoProcessing: "Processing photo…",
  photoSaved: "Photo saved.",
  photoDeleted: "Photo deleted.",
  photoOf: "Photo",
  photoDelete: "Delete",
  photoDeleteConfirm: "Delete this photo?",
  photoDeleteYes: "Yes, delete",
  photoDeleteNo: "No, keep it",
  photoLocked: "This inspection is signed or completed: photos can no longer be added or deleted.",
  noPosition: "no location",
  accuracyPoor: "Accuracy worse than 50 m: the position may be off",
  accuracyImprecise: "imprecise",
  locationDenied: "Location permission refused: carrying on without a position. To record it, allow location for this site in the browser's settings.",
  locationUnavailable: "No position could be found (weak signal, or location turned off): carrying on without it.",
  locationTitle: "Location",
  locationNone: "No location recorded.",
  recordLocation: "Record location",
  recordLocationAgain: "Record location again",
  signatures: "Signatures",
  noSignatures: "No signatures yet.",
  signerName: "Signer's name",
  signerRole: "Signing as",
  roleInspector: "Inspector",
  roleSiteRep: "Site representative",
  signaturePad: "Signature area: sign with a finger or stylus inside the box",
  signatureClear: "Clear",
  sign: "Sign",
  signatureSaved: "Signature saved.",
  signatureNeedsName: "Enter the signer's name.",
  signatureNeedsInk: "Sign inside the box first.",
  signatureOf: "Signature of",
  signLocks: "Signing locks the inspection: nothing can be changed afterwards (other people can still sign).",
  signWhenReady: "Signing is possible once nothing is missing, because signing locks the inspection.",
  signedLocked: "Signed — locked: this inspection can no longer be changed.",
  completeAfterSigning: "Once everyone has signed, complete the inspection.",
  report: "Inspection report",
  print: "Print / save as PDF",
  reportPhotos: "Photos",
  reportDate: "Date",
  dataTitle: "Data",
  exportAllJson: "Export all (JSON)",
  exportAllCsv: "Export all (CSV)",
  backupUnsent: "Back up everything unsent",
  restoreBackup: "Restore from a backup",
  exportNothing: "There are no inspections on this device to export.",
  exportDone: "Exported {n} inspections: {file}",
  backupDone: "Backed up {n} inspections and {p} pictures: {file}. Keep the file somewhere other than this phone.",
  restoreRestored: "Inspections restored: ",
  restoreExisting: "Already on this device, kept as they are: ",
  restoreReplaced: "Replaced by the backup's more recent copy: ",
  restorePictures: "Pictures restored: ",
  storageTitle: "Storage on this device",
  storagePersistent: "The browser has promised to keep this app's data.",
  storageBestEffort: "The browser may clear this app's data when the device runs short of space. Install the app to the home screen and send inspections promptly.",
  storageUnknown: "Persistent storage has not been requested yet (it is, after the first draft).",
  storageUsed: "Used",
  storageOf: "of",
};

export const ZH: UiText = {
  appName: "Safewalk 安全巡查",
  languageSwitch: "English",
  newInspection: "新建检查",
  drafts: "草稿",
  completed: "已完成",
  noDrafts: "暂无草稿。点击“新建检查”开始。",
  noCompleted: "暂无已完成的检查。",
  unnamedSite: "（未填写场所名称）",
  answered: "已答",
  lastChange: "最后修改",
  unreadableTitle: "无法打开的草稿",
  copyRaw: "复制原始内容",
  copied: "已复制",
  showRaw: "查看原始内容",
  pickSector: "选择检查表",
  siteName: "场所名称",
  address: "地址",
  category: "场所类别",
  enterprise: "单位（企业）名称",
  principal: "主要负责人 / 法定代表人",
  principalPhone: "负责人电话",
  uscc: "统一社会信用代码",
  department: "检查部门",
  inspectors: "检查人员",
  required: "必填",
  phoneInvalid: "电话号码格式不正确",
  toChecklist: "进入检查表",
  checklist: "检查表",
  editDetails: "编辑场所信息",
  jumpToSection: "跳转到章节",
  basis: "依据",
  note: "备注",
  addNote: "添加备注",
  hazardNoteLabel: "隐患描述（必填）",
  hazardNeedsNote: "发现隐患时须填写隐患描述",
  nextUnanswered: "下一未答项",
  allAnswered: "全部已答",
  review: "检查汇总",
  counts: "结果统计",
  hazardsFound: "发现的隐患",
  noHazards: "未发现隐患。",
  missing: "尚缺内容",
  nothingMissing: "内容齐全，可以完成检查。",
  unanswered: "未作答",
  complete: "完成检查",
  completeBlocked: "请先补全上面列出的内容",
  completedOn: "完成于",
  readOnly: "此检查已完成，内容只读。",
  saved: "已保存到本机",
  saving: "正在保存…",
  storageFull: "本机存储空间已满",
  updateReady: "新版本已就绪。",
  updateNow: "立即更新",
  updateBlocked: "暂不能更新：有修改尚未保存到本机。请先腾出存储空间，保存后再更新。",
  compliant: "符合",
  hazard: "发现隐患",
  notApplicable: "不适用",
  settings: "设置",
  settingsSaved: "设置已保存",
  endpoint: "上报地址（接收服务器）",
  endpointHint: "留空则上报到本应用所在的服务器。须为 https 地址；仅本机可用 http。",
  token: "访问令牌",
  inspectorName: "检查人员姓名",
  inspectorId: "检查人员编号",
  save: "保存",
  testConnection: "测试连接",
  connectionOk: "连接正常：接收服务器已响应。",
  connectionFailed: "连接失败：",
  endpointNotUrl: "地址无效：请填写完整地址，如 https://example.cn",
  endpointInsecure: "不安全：其他服务器必须使用 https（http 仅限本机）",
  endpointScheme: "只支持 http 或 https 地址",
  endpointQuery: "地址中不能包含 ? 或 #",
  unsent: "条检查尚未上报",
  sendNow: "立即上报",
  authPaused: "接收服务器拒绝了访问令牌，已暂停上报。请在“设置”中检查令牌：",
  deliveryQueued: "等待上报",
  deliverySending: "正在上报…",
  deliveryDelivered: "已上报",
  deliveryFailed: "上报失败，将自动重试",
  deliveryConflict: "冲突：服务器已有同一编号但内容不同的记录，本机记录已保留",
  deliveryTooLarge: "记录过大，服务器拒收，本机记录已保留",
  deliveryRejected: "服务器拒收，本机记录已保留：",
  tries: "尝试次数",
  nextTry: "下次重试",
  tokenRefused: "服务器可以连接，但拒绝了此访问令牌",
  // Hazards, the register, re-inspection and checklist import (issue 4).
  notAHazard: "此项未记录为隐患。",
  hazardTitle: "隐患与整改",
  grade: "隐患等级",
  gradeChoice: "等级认定",
  gradeByRule: "按判定规则",
  gradeRaise: "提升为重大隐患",
  gradeLower: "降为一般隐患（须说明理由）",
  lowerReason: "降级理由",
  lowerReasonNeeded: "按规则判定为重大隐患，降级须写明理由。",
  rectification: "整改措施（五落实）",
  onTheSpot: "已立查立改（现场整改完毕）",
  backToChecklist: "返回检查表",
  requiredMissing: "此项必填。",
  deadlineInvalid: "请填写有效日期。",
  optional: "选填",
  gradeMajor: "重大隐患",
  gradeGeneral: "一般隐患",
  gradeSuspected: "疑似重大火灾隐患",
  awaitingDetermination: "待集体讨论认定",
  determinedMajor: "经集体讨论认定",
  determinedNotMajor: "经集体讨论认定不属于重大火灾隐患",
  determination: "集体讨论认定",
  recordDetermination: "记录集体讨论认定",
  withdrawDetermination: "撤销集体讨论认定",
  determinationDate: "讨论日期",
  participants: "参加人员",
  personName: "姓名",
  personRole: "职务或单位",
  addParticipant: "添加参加人员",
  addPanelMember: "添加专家",
  panelConvened: "经专家组论证",
  votesInFavour: "同意票数",
  conclusionMajor: "属于重大火灾隐患",
  conclusionNotMajor: "不属于重大火灾隐患",
  determinationReason: "认定理由",
  determinationSettled: "认定已记录，隐患按结论定级。",
  determinationUnsettled: "认定尚不完整，隐患仍为疑似重大火灾隐患：",
  determinationNoneDelivered: "未记录集体讨论认定：隐患已作为疑似重大火灾隐患上报。",
  rectOnTheSpotNote: "现场整改情况",
  rectMeasures: "整改措施",
  rectUnit: "责任单位",
  rectPerson: "责任人",
  rectRole: "责任人职务",
  rectPhone: "责任人电话",
  rectFunds: "整改资金",
  rectDeadline: "整改期限",
  rectContingency: "应急预案（整改期间的防范措施）",
  rectSupervisor: "挂牌督办责任人",
  registerTitle: "隐患台账",
  partUnavailableTitle: "无法打开此页面",
  registerEmpty: "没有符合条件的隐患。",
  filterSite: "场所",
  filterSector: "行业",
  filterAll: "全部",
  showClosed: "显示已销号的隐患",
  statusOpen: "未整改",
  overdue: "已逾期",
  statusOnTheSpot: "已立查立改",
  statusClosed: "已复查销号",
  reinspectSite: "复查此场所",
  registerLink: "隐患台账",
  openHazards: "未整改隐患",
  majorOpen: "重大",
  followUpTitle: "复查",
  followUpOf: "复查对象：检查",
  verdict: "复查结论",
  verdictRectified: "已整改",
  verdictNotRectified: "未整改",
  verdictNote: "复查情况",
  verdictMissing: "尚未作出复查结论",
  exclusions: "不判定为重大隐患的情形",
  exclusionsHint: "如符合下列情形，按规则判定的重大隐患将不予认定（依据判定规则）。",
  responsibilities: "责任落实",
  principalLabel: "单位主要负责人",
  inspectedBy: "检查单位与人员",
  supervisedBy: "督办",
  open: "打开",
  home: "首页",
  notFound: "找不到这条检查记录。",
  archiveUnreadable: "无法从本机存储中读取这条记录（已损坏或缺失）。该检查已上报，接收端保存有完整记录。",
  checklistUnavailable: "此检查表版本不可用",
  templateMissing: "此草稿使用的检查表版本在本应用中不可用：",
  catalogueFailed: "内置检查表目录暂时无法载入，已保存在本机和已导入的检查表仍可使用。",
  templatesBroken: "部分内置检查表无法读取：",
  itemsCount: "项",
  importTitle: "添加检查表",
  importFile: "从文件导入",
  importServer: "从接收端获取",
  importWorking: "正在导入…",
  importDone: "已读取的检查表数量：",
  importRefused: "以下内容无效，未导入：",
  importUnreadableFile: "无法读取该文件。",
  importServerFailed: "无法从接收端获取检查表：",
  // Evidence and the report: photos, location, signatures, print, export and backup (issue 5).
  photos: "照片",
  photoTake: "拍照",
  photoChoose: "选择照片",
  photoLocating: "正在获取位置…",
  photoProcessing: "正在处理照片…",
  photoSaved: "照片已保存。",
  photoDeleted: "照片已删除。",
  photoOf: "照片",
  photoDelete: "删除",
  photoDeleteConfirm: "删除这张照片？",
  photoDeleteYes: "是，删除",
  photoDeleteNo: "否，保留",
  photoLocked: "此检查已签名或已完成，不能再添加或删除照片。",
  noPosition: "无位置",
  accuracyPoor: "精度差于 50 米，位置可能不准",
  accuracyImprecise: "不够精确",
  locationDenied: "未获准使用位置：在没有位置的情况下继续。如需记录位置，请在浏览器的网站设置中允许定位。",
  locationUnavailable: "无法获取位置（信号弱或定位服务已关闭）：在没有位置的情况下继续。",
  locationTitle: "位置",
  locationNone: "尚未记录位置。",
  recordLocation: "记录位置",
  recordLocationAgain: "重新记录位置",
  signatures: "签名",
  noSignatures: "尚无签名。",
  signerName: "签名人姓名",
  signerRole: "签名身份",
  roleInspector: "检查人员",
  roleSiteRep: "场所代表",
  signaturePad: "签名区：请用手指或触控笔在框内签名",
  signatureClear: "清除重签",
  sign: "签名确认",
  signatureSaved: "签名已保存。",
  signatureNeedsName: "请填写签名人姓名。",
  signatureNeedsInk: "请先在框内签名。",
  signatureOf: "签名",
  signLocks: "签名后检查将被锁定，内容不能再修改（可继续添加其他人的签名）。",
  signWhenReady: "内容齐全后才能签名，因为签名会锁定检查。",
  signedLocked: "已签名 — 已锁定：此检查内容不能再修改。",
  completeAfterSigning: "所有人签名后，点击“完成检查”。",
  report: "检查报告",
  print: "打印 / 存为 PDF",
  reportPhotos: "照片",
  reportDate: "检查日期",
  dataTitle: "数据导出与备份",
  exportAllJson: "导出全部（JSON）",
  exportAllCsv: "导出全部（CSV）",
  backupUnsent: "备份全部未上报的检查",
  restoreBackup: "从备份恢复",
  exportNothing: "本机没有可导出的检查。",
  exportDone: "已导出 {n} 份检查：{file}",
  backupDone: "已备份 {n} 份检查和 {p} 张图片：{file}。请把该文件存放到手机以外的地方。",
  restoreRestored: "恢复的检查：",
  restoreExisting: "本机已有、保持不变：",
  restoreReplaced: "替换为备份中进度更新的版本：",
  restorePictures: "恢复的图片：",
  storageTitle: "本机存储",
  storagePersistent: "浏览器已承诺保留本应用的数据。",
  storageBestEffort: "浏览器在存储空间不足时可能清除本应用的数据。请安装到主屏幕并及时发送检查记录。",
  storageUnknown: "尚未向浏览器申请持久存储（创建第一份草稿后申请）。",
  storageUsed: "已用",
  storageOf: "/ 可用",
};

export const TEXT: Record<Lang, UiText> = { en: EN, zh: ZH };
