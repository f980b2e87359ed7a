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
};

export const TEXT: Record<Lang, UiText> = { en: EN, zh: ZH };
