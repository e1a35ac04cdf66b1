"""Coded values shared by every layer: regions, organization kinds, visas, statuses."""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "Region",
    "REGION_NAMES_KO",
    "REGION_NAMES_EN",
    "REGION_ADMIN_CODES",
    "CAPITAL_AREA",
    "COMMUTABLE",
    "OrganizationKind",
    "SizeBand",
    "KSIC_SECTIONS",
    "VisaType",
    "VISAS_FREE_TO_WORK",
    "EmploymentType",
    "OpeningKind",
    "OPENING_EMPLOYMENT_TYPE",
    "OpeningStatus",
    "Importance",
    "Degree",
    "DEGREE_RANK",
    "Gender",
    "TalentCategory",
    "ProgramKind",
    "ProgramStatus",
    "RoundStatus",
    "PlacementStatus",
    "ApplicationStatus",
    "SkillSource",
]


class Region(StrEnum):
    """The 17 first-level administrative regions of Korea (시·도)."""

    SEOUL = "seoul"
    BUSAN = "busan"
    DAEGU = "daegu"
    INCHEON = "incheon"
    GWANGJU = "gwangju"
    DAEJEON = "daejeon"
    ULSAN = "ulsan"
    SEJONG = "sejong"
    GYEONGGI = "gyeonggi"
    GANGWON = "gangwon"
    CHUNGBUK = "chungbuk"
    CHUNGNAM = "chungnam"
    JEONBUK = "jeonbuk"
    JEONNAM = "jeonnam"
    GYEONGBUK = "gyeongbuk"
    GYEONGNAM = "gyeongnam"
    JEJU = "jeju"


REGION_NAMES_KO: dict[Region, str] = {
    Region.SEOUL: "서울특별시",
    Region.BUSAN: "부산광역시",
    Region.DAEGU: "대구광역시",
    Region.INCHEON: "인천광역시",
    Region.GWANGJU: "광주광역시",
    Region.DAEJEON: "대전광역시",
    Region.ULSAN: "울산광역시",
    Region.SEJONG: "세종특별자치시",
    Region.GYEONGGI: "경기도",
    Region.GANGWON: "강원특별자치도",
    Region.CHUNGBUK: "충청북도",
    Region.CHUNGNAM: "충청남도",
    Region.JEONBUK: "전북특별자치도",
    Region.JEONNAM: "전라남도",
    Region.GYEONGBUK: "경상북도",
    Region.GYEONGNAM: "경상남도",
    Region.JEJU: "제주특별자치도",
}

REGION_NAMES_EN: dict[Region, str] = {
    Region.SEOUL: "Seoul",
    Region.BUSAN: "Busan",
    Region.DAEGU: "Daegu",
    Region.INCHEON: "Incheon",
    Region.GWANGJU: "Gwangju",
    Region.DAEJEON: "Daejeon",
    Region.ULSAN: "Ulsan",
    Region.SEJONG: "Sejong",
    Region.GYEONGGI: "Gyeonggi",
    Region.GANGWON: "Gangwon",
    Region.CHUNGBUK: "North Chungcheong",
    Region.CHUNGNAM: "South Chungcheong",
    Region.JEONBUK: "North Jeolla",
    Region.JEONNAM: "South Jeolla",
    Region.GYEONGBUK: "North Gyeongsang",
    Region.GYEONGNAM: "South Gyeongsang",
    Region.JEJU: "Jeju",
}

#: Statistics Korea administrative codes (시도 코드), current as of 2024 (Gangwon 51, Jeonbuk 52).
REGION_ADMIN_CODES: dict[Region, str] = {
    Region.SEOUL: "11",
    Region.BUSAN: "26",
    Region.DAEGU: "27",
    Region.INCHEON: "28",
    Region.GWANGJU: "29",
    Region.DAEJEON: "30",
    Region.ULSAN: "31",
    Region.SEJONG: "36",
    Region.GYEONGGI: "41",
    Region.GANGWON: "51",
    Region.CHUNGBUK: "43",
    Region.CHUNGNAM: "44",
    Region.JEONBUK: "52",
    Region.JEONNAM: "46",
    Region.GYEONGBUK: "47",
    Region.GYEONGNAM: "48",
    Region.JEJU: "50",
}

#: 수도권: the capital area that regional caps steer talent away from.
CAPITAL_AREA: frozenset[Region] = frozenset({Region.SEOUL, Region.INCHEON, Region.GYEONGGI})

#: Regions within a daily commute of each other (used by location fit): neighbours by land and common commutes.
COMMUTABLE: dict[Region, frozenset[Region]] = {
    Region.SEOUL: frozenset({Region.INCHEON, Region.GYEONGGI}),
    Region.INCHEON: frozenset({Region.SEOUL, Region.GYEONGGI}),
    Region.GYEONGGI: frozenset({Region.SEOUL, Region.INCHEON, Region.CHUNGNAM, Region.CHUNGBUK, Region.GANGWON}),
    Region.BUSAN: frozenset({Region.ULSAN, Region.GYEONGNAM}),
    Region.ULSAN: frozenset({Region.BUSAN, Region.GYEONGNAM, Region.GYEONGBUK}),
    Region.GYEONGNAM: frozenset({Region.BUSAN, Region.ULSAN, Region.DAEGU}),
    Region.DAEGU: frozenset({Region.GYEONGBUK, Region.GYEONGNAM}),
    Region.GYEONGBUK: frozenset({Region.DAEGU, Region.ULSAN}),
    Region.DAEJEON: frozenset({Region.SEJONG, Region.CHUNGNAM, Region.CHUNGBUK}),
    Region.SEJONG: frozenset({Region.DAEJEON, Region.CHUNGNAM, Region.CHUNGBUK}),
    Region.CHUNGNAM: frozenset({Region.DAEJEON, Region.SEJONG, Region.GYEONGGI}),
    Region.CHUNGBUK: frozenset({Region.DAEJEON, Region.SEJONG, Region.GYEONGGI}),
    Region.GWANGJU: frozenset({Region.JEONNAM}),
    Region.JEONNAM: frozenset({Region.GWANGJU}),
    Region.JEONBUK: frozenset({Region.CHUNGNAM}),
    Region.GANGWON: frozenset({Region.GYEONGGI}),
    Region.JEJU: frozenset(),
}


class OrganizationKind(StrEnum):
    AI_STARTUP = "ai_startup"
    MANUFACTURER = "manufacturer"
    LARGE_ENTERPRISE = "large_enterprise"
    UNIVERSITY = "university"
    RESEARCH_INSTITUTE = "research_institute"
    PUBLIC_AGENCY = "public_agency"


class SizeBand(StrEnum):
    """Headcount bands (상시 근로자 수)."""

    MICRO = "1-9"
    SMALL = "10-49"
    MEDIUM = "50-299"
    MIDSIZE = "300-999"
    LARGE = "1000+"


#: Korean Standard Industrial Classification (KSIC, 10th revision) sections.
KSIC_SECTIONS: dict[str, tuple[str, str]] = {
    "A": ("농업, 임업 및 어업", "Agriculture, forestry and fishing"),
    "B": ("광업", "Mining and quarrying"),
    "C": ("제조업", "Manufacturing"),
    "D": ("전기, 가스, 증기 및 공기 조절 공급업", "Electricity, gas, steam and air conditioning supply"),
    "E": ("수도, 하수 및 폐기물 처리, 원료 재생업", "Water supply; sewage, waste management, remediation"),
    "F": ("건설업", "Construction"),
    "G": ("도매 및 소매업", "Wholesale and retail trade"),
    "H": ("운수 및 창고업", "Transportation and storage"),
    "I": ("숙박 및 음식점업", "Accommodation and food service"),
    "J": ("정보통신업", "Information and communication"),
    "K": ("금융 및 보험업", "Financial and insurance activities"),
    "L": ("부동산업", "Real estate activities"),
    "M": ("전문, 과학 및 기술 서비스업", "Professional, scientific and technical activities"),
    "N": ("사업시설 관리, 사업 지원 및 임대 서비스업", "Business facilities management and support"),
    "O": ("공공 행정, 국방 및 사회보장 행정", "Public administration and defence"),
    "P": ("교육 서비스업", "Education"),
    "Q": ("보건업 및 사회복지 서비스업", "Human health and social work"),
    "R": ("예술, 스포츠 및 여가관련 서비스업", "Arts, sports and recreation"),
    "S": ("협회 및 단체, 수리 및 기타 개인 서비스업", "Membership organizations, repair, other personal services"),
    "T": ("가구 내 고용활동 및 자가소비 생산활동", "Activities of households as employers"),
    "U": ("국제 및 외국기관", "Extraterritorial organizations"),
}


class VisaType(StrEnum):
    """Korean stay statuses (체류자격) that matter for AI talent."""

    D2 = "D-2"  # student
    D4 = "D-4"  # general trainee / language student
    D8 = "D-8"  # corporate investment (startup visa D-8-4)
    D10 = "D-10"  # job seeking (incl. D-10-2 startup preparation)
    E1 = "E-1"  # professor
    E3 = "E-3"  # researcher
    E7 = "E-7"  # special occupations (incl. E-7-1 professionals)
    E9 = "E-9"  # non-professional employment
    F2 = "F-2"  # residence (incl. F-2-7 points-based)
    F4 = "F-4"  # overseas Korean
    F5 = "F-5"  # permanent residence
    F6 = "F-6"  # marriage migrant
    H2 = "H-2"  # working visit
    OTHER = "other"


#: Stay statuses that allow employment at any employer without sponsorship.
VISAS_FREE_TO_WORK: frozenset[VisaType] = frozenset({VisaType.F2, VisaType.F4, VisaType.F5, VisaType.F6})


class EmploymentType(StrEnum):
    FULL_TIME = "full_time"
    SECONDMENT = "secondment"
    PBL = "pbl"
    INTERNSHIP = "internship"
    JOINT_RND = "joint_rnd"


class OpeningKind(StrEnum):
    JOB = "job"
    SECONDMENT_SLOT = "secondment_slot"
    PBL_PROJECT = "pbl_project"
    INTERNSHIP = "internship"
    JOINT_RND = "joint_rnd"


OPENING_EMPLOYMENT_TYPE: dict[OpeningKind, EmploymentType] = {
    OpeningKind.JOB: EmploymentType.FULL_TIME,
    OpeningKind.SECONDMENT_SLOT: EmploymentType.SECONDMENT,
    OpeningKind.PBL_PROJECT: EmploymentType.PBL,
    OpeningKind.INTERNSHIP: EmploymentType.INTERNSHIP,
    OpeningKind.JOINT_RND: EmploymentType.JOINT_RND,
}


class OpeningStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    FILLED = "filled"


class Importance(StrEnum):
    MUST = "must"
    SHOULD = "should"
    NICE = "nice"


class Degree(StrEnum):
    HIGH_SCHOOL = "high_school"
    ASSOCIATE = "associate"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"


DEGREE_RANK: dict[Degree, int] = {
    Degree.HIGH_SCHOOL: 1,
    Degree.ASSOCIATE: 2,
    Degree.BACHELOR: 3,
    Degree.MASTER: 4,
    Degree.DOCTORATE: 5,
}


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNDISCLOSED = "undisclosed"


class TalentCategory(StrEnum):
    ENGINEER = "engineer"
    RESEARCHER = "researcher"
    STUDENT = "student"
    EMPLOYEE = "employee"
    OVERSEAS = "overseas"


class ProgramKind(StrEnum):
    TALENT_EXCHANGE = "talent_exchange"
    PBL = "pbl"
    INTERNSHIP = "internship"
    JOINT_RND = "joint_rnd"


class ProgramStatus(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    CLOSED = "closed"


class RoundStatus(StrEnum):
    DRAFT = "draft"
    COLLECTING = "collecting"  # preference submission open
    CLOSED = "closed"  # submission closed, ready to run
    MATCHED = "matched"  # a run exists, awaiting review
    PUBLISHED = "published"  # a person approved and published the result


class PlacementStatus(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    COMPLETED = "completed"
    ENDED_EARLY = "ended_early"


class ApplicationStatus(StrEnum):
    APPLIED = "applied"
    SCREENING = "screening"
    INTERVIEW = "interview"
    OFFER = "offer"
    HIRED = "hired"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class SkillSource(StrEnum):
    EXPLICIT = "explicit"  # stated by the person or organization
    INFERRED = "inferred"  # extracted from text or from the occupation; carries a confidence
