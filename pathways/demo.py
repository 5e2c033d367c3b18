"""A believable district catalogue for ``manage.py seed_demo`` (idempotent).

The nine career clusters of New York City's CTE office (seed 004), about thirty pathways
with their course sequences, credentials, college credit and careers, twelve schools
(two of them middle schools) and this school year's offerings, some after school.

Schools, course codes and college course numbers are invented. Wages, growth and openings
approximate national U.S. Bureau of Labor Statistics figures (median pay in May 2023,
projections 2023-33): good enough to demonstrate, not to advise; a district loads its own
(for example its state labor department's regional figures) through the API.
"""

from __future__ import annotations

from decimal import Decimal

from .enums import (
    CollegeCreditKind,
    CourseLevel,
    CredentialKind,
    Education,
    Gender,
    PathwayStatus,
    Schedule,
    SchoolLevel,
)
from .models import (
    CollegeCredit,
    Course,
    Credential,
    Occupation,
    Offering,
    Pathway,
    School,
    Sector,
    current_school_year,
)
from .services import SequenceEntry, pathway_create, pathway_update

SECTORS = [
    (
        "information-technology",
        "Information Technology",
        "Software and hardware: programming, networks, cybersecurity, IT support and the cloud.",
    ),
    (
        "engineering-architecture",
        "Engineering, Architecture and Robotics",
        "Design, build and test: engineering design, architectural drawing, robotics.",
    ),
    (
        "transportation",
        "Transportation",
        "Keep the city moving: automotive, diesel and transit, and aviation maintenance.",
    ),
    (
        "health-sciences",
        "Health Sciences",
        "Patient care, emergency medicine, pharmacy and the clinic: the largest employer.",
    ),
    (
        "construction-sustainability",
        "Construction and Sustainability",
        "The building trades and green building: electrical, carpentry, HVAC and plumbing.",
    ),
    (
        "culinary-hospitality",
        "Culinary Arts and Hospitality",
        "Kitchens, bakeries, hotels and events.",
    ),
    (
        "media-marketing-film",
        "Media, Marketing and Film",
        "Advertising, marketing, graphic design, animation and film.",
    ),
    (
        "business-finance",
        "Business and Finance",
        "Accounting, finance, management and starting a business.",
    ),
    (
        "public-service",
        "Social Sciences and Public Service",
        "Law, public safety, teaching and human services.",
    ),
]

# slug, name, code (DBN), level, address
SCHOOLS = [
    ("harbor-view-cte", "Harbor View Career and Technical High School", "02M615", "high",
     "350 Water Street, Manhattan, NY 10038"),
    ("bronx-river-tech", "Bronx River Technical High School", "08X540", "high",
     "1200 Westchester Avenue, Bronx, NY 10459"),
    ("flushing-bay-aviation", "Flushing Bay Aviation and Transit High School", "24Q612", "high",
     "45-10 94th Street, Queens, NY 11373"),
    ("atlantic-avenue-health", "Atlantic Avenue Health Professions High School", "13K595",
     "high", "1010 Atlantic Avenue, Brooklyn, NY 11238"),
    ("gowanus-construction", "Gowanus Construction and Design Academy", "15K680", "high",
     "240 Third Avenue, Brooklyn, NY 11215"),
    ("north-shore-cte", "North Shore Career and Technical Education Campus", "31R600", "high",
     "100 Richmond Terrace, Staten Island, NY 10301"),
    ("jamaica-culinary", "Jamaica Culinary and Hospitality High School", "28Q690", "high",
     "89-30 161st Street, Queens, NY 11432"),
    ("midtown-media", "Midtown Media and Communications High School", "02M640", "high",
     "439 West 49th Street, Manhattan, NY 10019"),
    ("lower-manhattan-finance", "Lower Manhattan Business and Finance High School", "02M425",
     "high", "26 Broadway, Manhattan, NY 10004"),
    ("grand-concourse-public-service", "Grand Concourse Law and Public Service High School",
     "09X470", "high", "1700 Grand Concourse, Bronx, NY 10457"),
    ("east-harlem-exploration", "East Harlem Middle School for Exploration", "04M206",
     "middle", "2351 First Avenue, Manhattan, NY 10035"),
    ("sunset-park-innovation", "Sunset Park Middle School of Innovation", "15K136", "middle",
     "4004 Fourth Avenue, Brooklyn, NY 11232"),
]  # fmt: skip

CERT, LICENSE, CERTIFICATE = (
    CredentialKind.CERTIFICATION,
    CredentialKind.LICENSE,
    CredentialKind.CERTIFICATE,
)

# slug, name, issuer, kind, how it is earned, on the state's approved list
CREDENTIALS = [
    ("comptia-itf", "CompTIA IT Fundamentals+ (ITF+)", "CompTIA", CERT,
     "Pass the ITF+ exam, usually at the end of the introductory course.", True),
    ("comptia-a-plus", "CompTIA A+", "CompTIA", CERT,
     "Pass the two A+ Core exams (hardware, operating systems, troubleshooting).", True),
    ("comptia-network-plus", "CompTIA Network+", "CompTIA", CERT,
     "Pass the Network+ exam after the networking course.", True),
    ("comptia-security-plus", "CompTIA Security+", "CompTIA", CERT,
     "Pass the Security+ exam in the capstone year.", True),
    ("it-specialist-python", "IT Specialist: Python", "Certiport (Pearson VUE)", CERT,
     "Pass the Python exam in a school testing center.", True),
    ("aws-cloud-practitioner", "AWS Certified Cloud Practitioner", "Amazon Web Services", CERT,
     "Pass the Cloud Practitioner exam (online or at a test center).", False),
    ("autodesk-autocad", "Autodesk Certified User: AutoCAD", "Autodesk", CERT,
     "Pass the AutoCAD user exam.", True),
    ("autodesk-revit", "Autodesk Certified User: Revit", "Autodesk", CERT,
     "Pass the Revit user exam.", True),
    ("solidworks-cswa", "Certified SOLIDWORKS Associate (CSWA)", "Dassault Systèmes", CERT,
     "Pass the three-hour CSWA design exam.", True),
    ("fanuc-robot-operator", "FANUC Certified Robot Operator", "FANUC America", CERT,
     "Pass the handling-tool operation and programming exam on a school robot cell.", False),
    ("ase-entry-mlr", "ASE Entry-Level Certification: Maintenance and Light Repair",
     "ASE Education Foundation", CERT, "Pass the ASE entry-level tests in the final year.",
     True),
    ("ase-entry-truck", "ASE Entry-Level Certification: Medium/Heavy Truck",
     "ASE Education Foundation", CERT, "Pass the ASE entry-level truck tests.", True),
    ("faa-amt-general", "FAA Aviation Maintenance Technician: General", "Federal Aviation "
     "Administration", LICENSE, "Pass the FAA General written test; the airframe and "
     "powerplant certificate follows after graduation.", True),
    ("nys-cna", "Certified Nurse Aide (CNA)", "New York State Department of Health", CERT,
     "Complete the state-approved training with clinical hours and pass the state exam.",
     True),
    ("nha-ccma", "Certified Clinical Medical Assistant (CCMA)",
     "National Healthcareer Association", CERT, "Pass the CCMA exam after the practicum.",
     True),
    ("nys-emt", "Emergency Medical Technician (EMT)", "New York State Department of Health",
     CERT, "Complete the EMT course (age 17 by the exam) and pass the state exams.", True),
    ("ptcb-cpht", "Certified Pharmacy Technician (CPhT)",
     "Pharmacy Technician Certification Board", CERT, "Pass the PTCE exam at 18 or older.",
     True),
    ("aha-bls", "Basic Life Support (BLS) Provider", "American Heart Association", CERTIFICATE,
     "Complete the classroom course and skills test.", False),
    ("osha-10-construction", "OSHA 10-Hour Construction", "U.S. Department of Labor (OSHA)",
     CERTIFICATE, "Complete the ten-hour safety course with an authorized trainer.", True),
    ("nccer-core", "NCCER Core Curriculum", "NCCER", CERTIFICATE,
     "Pass the written and performance tests of the Core modules.", True),
    ("epa-608", "EPA Section 608 Technician Certification",
     "U.S. Environmental Protection Agency", CERT, "Pass the Core and Type I exams.", True),
    ("nyc-food-protection", "Food Protection Certificate",
     "NYC Department of Health and Mental Hygiene", CERTIFICATE,
     "Complete the food protection course and pass the final exam.", True),
    ("servsafe-manager", "ServSafe Food Protection Manager", "National Restaurant Association",
     CERT, "Pass the proctored ServSafe Manager exam.", True),
    ("prostart-coa", "ProStart Certificate of Achievement",
     "National Restaurant Association Educational Foundation", CERTIFICATE,
     "Pass both ProStart exams and complete 400 hours of work experience.", True),
    ("ahlei-cgsp", "Certified Guest Service Professional (CGSP)",
     "American Hotel & Lodging Educational Institute", CERT, "Pass the CGSP exam.", False),
    ("adobe-photoshop", "Adobe Certified Professional: Visual Design", "Adobe", CERT,
     "Pass the Photoshop exam.", True),
    ("adobe-premiere", "Adobe Certified Professional: Video Design", "Adobe", CERT,
     "Pass the Premiere Pro exam.", True),
    ("meta-marketing", "Meta Certified Digital Marketing Associate", "Meta", CERT,
     "Pass the online proctored exam.", False),
    ("quickbooks-user", "QuickBooks Certified User", "Intuit", CERT,
     "Pass the QuickBooks user exam.", True),
    ("mos-excel", "Microsoft Office Specialist: Excel Associate", "Microsoft", CERT,
     "Pass the Excel Associate exam.", True),
    ("nys-security-guard", "Security Guard Registration (8-hour pre-assignment training)",
     "New York State Department of State", LICENSE,
     "Complete the eight-hour course; registration is possible from age 18.", False),
    ("cda", "Child Development Associate (CDA)", "Council for Professional Recognition",
     CERTIFICATE, "Complete 120 training hours and 480 work hours, a portfolio and the exam.",
     True),
]  # fmt: skip

E = Education
OCCUPATION_SOURCE = "U.S. Bureau of Labor Statistics (national figures)"
OCCUPATION_YEAR = 2023

# SOC code, title, median annual wage, growth % over ten years, openings a year, education
OCCUPATIONS = [
    ("15-1252", "Software Developers", 132270, "17", 140100, E.BACHELOR),
    ("15-1254", "Web Developers", 84960, "8", 16500, E.BACHELOR),
    ("15-1232", "Computer User Support Specialists", 59660, "6", 61000, E.SOME_COLLEGE),
    ("15-1244", "Network and Computer Systems Administrators", 95360, "-3", 16400, E.BACHELOR),
    ("15-1212", "Information Security Analysts", 120360, "33", 17300, E.BACHELOR),
    ("17-2141", "Mechanical Engineers", 99510, "11", 18100, E.BACHELOR),
    ("17-2051", "Civil Engineers", 95890, "6", 22900, E.BACHELOR),
    ("17-1011", "Architects", 93310, "8", 9100, E.BACHELOR),
    ("17-3011", "Architectural and Civil Drafters", 61820, "-3", 7200, E.ASSOCIATE),
    ("17-3024", "Electro-Mechanical and Mechatronics Technicians", 64020, "1", 1300, E.ASSOCIATE),
    ("17-3027", "Mechanical Engineering Technicians", 64990, "3", 3900, E.ASSOCIATE),
    ("49-3023", "Automotive Service Technicians and Mechanics", 47770, "4", 67800,
     E.POSTSECONDARY_NONDEGREE),
    ("49-3021", "Automotive Body and Related Repairers", 48130, "3", 15500, E.HIGH_SCHOOL),
    ("49-3011", "Aircraft Mechanics and Service Technicians", 75400, "5", 12600,
     E.POSTSECONDARY_NONDEGREE),
    ("49-3031", "Diesel Service Technicians and Mechanics", 58970, "6", 28100, E.HIGH_SCHOOL),
    ("29-1141", "Registered Nurses", 86070, "6", 194500, E.BACHELOR),
    ("31-1131", "Nursing Assistants", 38130, "4", 209400, E.POSTSECONDARY_NONDEGREE),
    ("29-2061", "Licensed Practical Nurses", 59730, "3", 54400, E.POSTSECONDARY_NONDEGREE),
    ("31-9092", "Medical Assistants", 42000, "15", 112300, E.POSTSECONDARY_NONDEGREE),
    ("29-2042", "Emergency Medical Technicians", 39410, "5", 17000, E.POSTSECONDARY_NONDEGREE),
    ("29-2052", "Pharmacy Technicians", 40300, "7", 46800, E.HIGH_SCHOOL),
    ("47-2111", "Electricians", 61590, "11", 80200, E.HIGH_SCHOOL),
    ("47-2031", "Carpenters", 56350, "4", 78500, E.HIGH_SCHOOL),
    ("47-2152", "Plumbers, Pipefitters and Steamfitters", 61550, "6", 44000, E.HIGH_SCHOOL),
    ("49-9021", "Heating, Air Conditioning and Refrigeration Mechanics", 57300, "9", 40100,
     E.POSTSECONDARY_NONDEGREE),
    ("11-9021", "Construction Managers", 104900, "9", 46800, E.BACHELOR),
    ("35-1011", "Chefs and Head Cooks", 58920, "5", 23800, E.HIGH_SCHOOL),
    ("35-2014", "Restaurant Cooks", 35360, "10", 268000, E.NONE),
    ("51-3011", "Bakers", 35940, "6", 30700, E.NONE),
    ("11-9051", "Food Service Managers", 63060, "6", 40600, E.HIGH_SCHOOL),
    ("11-9081", "Lodging Managers", 65360, "5", 4400, E.HIGH_SCHOOL),
    ("27-1024", "Graphic Designers", 58910, "2", 20900, E.BACHELOR),
    ("27-1014", "Special Effects Artists and Animators", 99800, "4", 6500, E.BACHELOR),
    ("27-4032", "Film and Video Editors", 70570, "3", 6900, E.BACHELOR),
    ("27-4011", "Audio and Video Technicians", 53960, "4", 12000, E.POSTSECONDARY_NONDEGREE),
    ("13-1161", "Market Research Analysts and Marketing Specialists", 74680, "8", 87700,
     E.BACHELOR),
    ("11-2021", "Marketing Managers", 157620, "8", 35300, E.BACHELOR),
    ("13-2011", "Accountants and Auditors", 79880, "6", 124200, E.BACHELOR),
    ("43-3031", "Bookkeeping, Accounting and Auditing Clerks", 47440, "-6", 172500,
     E.SOME_COLLEGE),
    ("13-2052", "Personal Financial Advisors", 99580, "17", 25700, E.BACHELOR),
    ("11-1021", "General and Operations Managers", 101280, "6", 308700, E.BACHELOR),
    ("33-3051", "Police and Sheriff's Patrol Officers", 74910, "3", 64600, E.HIGH_SCHOOL),
    ("33-2011", "Firefighters", 57120, "4", 27600, E.POSTSECONDARY_NONDEGREE),
    ("33-9032", "Security Guards", 36530, "3", 148000, E.HIGH_SCHOOL),
    ("23-2011", "Paralegals and Legal Assistants", 60970, "1", 39300, E.ASSOCIATE),
    ("25-2011", "Preschool Teachers", 37130, "3", 61000, E.ASSOCIATE),
    ("39-9011", "Childcare Workers", 30370, "-2", 150000, E.HIGH_SCHOOL),
    ("25-9045", "Teaching Assistants", 33000, "-1", 160000, E.SOME_COLLEGE),
    ("21-1093", "Social and Human Service Assistants", 41410, "7", 60000, E.HIGH_SCHOOL),
]  # fmt: skip

L = CourseLevel
# Grades a course is usually taken in, by level (a course may say otherwise).
LEVEL_GRADES = {
    L.EXPLORATORY: (6, 8),
    L.INTRODUCTORY: (9, 10),
    L.CONCENTRATOR: (10, 12),
    L.CAPSTONE: (11, 12),
}
CTE = "CTE elective credit"
WBL = "CTE credit; includes work-based learning hours"

# code, title, level, credits, requirement it satisfies, description
COURSES = [
    # Information technology
    ("10002", "Exploring Computer Science", L.EXPLORATORY, "0.5", "",
     "Problem solving, web pages and simple programs, in project-based units."),
    ("10003", "Game Design and Robotics Workshop", L.EXPLORATORY, "0.5", "",
     "Build and program small robots and games in teams."),
    ("10011", "Introduction to Computer Science", L.INTRODUCTORY, "1", CTE,
     "How computers, data and the internet work; first programs in Python."),
    ("10152", "Computer Programming I: Python", L.CONCENTRATOR, "1", CTE, ""),
    ("10153", "Web and Mobile Application Development", L.CONCENTRATOR, "1", CTE, ""),
    ("10157", "AP Computer Science A", L.CONCENTRATOR, "1",
     "Math or science elective credit (Advanced Regents diploma)", ""),
    ("10159", "Software Engineering Capstone", L.CAPSTONE, "2", WBL,
     "Build software for a real client with a mentor from industry."),
    ("10051", "Computer Hardware and Operating Systems", L.CONCENTRATOR, "1", CTE, ""),
    ("10101", "Networking Fundamentals", L.CONCENTRATOR, "1", CTE, ""),
    ("10104", "Cybersecurity Capstone", L.CAPSTONE, "2", WBL,
     "Defend a live network in the school's cyber range; Security+ preparation."),
    ("10061", "Help Desk and Customer Support", L.CONCENTRATOR, "1", CTE, ""),
    ("10065", "Cloud Computing Capstone", L.CAPSTONE, "1", WBL,
     "Deploy and support services in the cloud; an internship at the school's help desk."),
    # Engineering, architecture and robotics
    ("21006", "Introduction to Engineering Design", L.INTRODUCTORY, "1",
     "Art credit toward the Regents diploma",
     "Sketching, 3D modeling and the design process, from idea to prototype."),
    ("21007", "Principles of Engineering", L.CONCENTRATOR, "1", "Science elective credit", ""),
    ("21008", "Digital Electronics", L.CONCENTRATOR, "1", CTE, ""),
    ("21009", "Engineering Design and Development", L.CAPSTONE, "1", WBL,
     "Solve an open-ended problem with an engineer as mentor, and present it to a panel."),
    ("17051", "Architectural Drawing and CAD", L.CONCENTRATOR, "1", CTE, ""),
    ("17052", "Building Information Modeling", L.CONCENTRATOR, "1", CTE, ""),
    ("17059", "Architecture Studio Capstone", L.CAPSTONE, "1", WBL,
     "Design a small public building for a real site and defend it to architects."),
    ("21041", "Robotics I", L.CONCENTRATOR, "1", CTE, ""),
    ("21042", "Automation and Mechatronics", L.CONCENTRATOR, "1", CTE, ""),
    ("21049", "Robotics Capstone and Competition", L.CAPSTONE, "1", WBL,
     "Build a competition robot and program an industrial robot cell."),
    # Transportation
    ("20101", "Automotive and Transportation Fundamentals", L.INTRODUCTORY, "1", CTE,
     "Shop safety, tools, and how vehicles work, from engines to electrical systems."),
    ("20102", "Brakes, Steering and Suspension", L.CONCENTRATOR, "2", CTE, ""),
    ("20103", "Engine Performance and Electrical Systems", L.CONCENTRATOR, "2", CTE, ""),
    ("20109", "Automotive Service Capstone", L.CAPSTONE, "2", WBL,
     "Run the school's service shop and intern at a dealership or fleet garage."),
    ("20201", "Aviation Fundamentals", L.INTRODUCTORY, "1", CTE,
     "Aircraft, the science of flight, and FAA maintenance regulations."),
    ("20202", "Aircraft Systems and Materials", L.CONCENTRATOR, "2", CTE, ""),
    ("20203", "Powerplant Theory and Maintenance", L.CONCENTRATOR, "2", CTE, ""),
    ("20209", "Aviation Maintenance Capstone", L.CAPSTONE, "2", WBL,
     "Inspections and repairs on the school's aircraft, logged toward FAA requirements."),
    ("20301", "Diesel Engines", L.CONCENTRATOR, "2", CTE, ""),
    ("20302", "Hydraulics and Air Brakes", L.CONCENTRATOR, "2", CTE, ""),
    ("20309", "Transit Maintenance Capstone", L.CAPSTONE, "2", WBL,
     "Work alongside transit mechanics in a bus depot."),
    # Health sciences
    ("14000", "Exploring Health Careers", L.EXPLORATORY, "0.5", "",
     "Meet health workers and practice first aid, vital signs and lab safety."),
    ("14001", "Introduction to Health Careers", L.INTRODUCTORY, "1",
     "Health education credit", "Careers in health care, medical terminology and CPR."),
    ("14051", "Anatomy and Physiology", L.CONCENTRATOR, "1",
     "Lab science credit toward the Regents diploma", ""),
    ("14052", "Nurse Aide Training", L.CONCENTRATOR, "2", CTE, ""),
    ("14059", "Clinical Practicum", L.CAPSTONE, "1", WBL,
     "Supervised clinical hours in a nursing home or hospital."),
    ("14061", "Clinical Medical Assisting", L.CONCENTRATOR, "2", CTE, ""),
    ("14069", "Medical Office Practicum", L.CAPSTONE, "1", WBL,
     "Work in a clinic's front and back office."),
    ("14071", "First Responder and Emergency Care", L.CONCENTRATOR, "1", CTE, ""),
    ("14072", "Emergency Medical Technician Course", L.CAPSTONE, "2", WBL,
     "The full state EMT course, with ride-alongs on an ambulance."),
    ("14081", "Medical Terminology and Pharmacology", L.CONCENTRATOR, "1", CTE, ""),
    ("14082", "Pharmacy Practice", L.CONCENTRATOR, "1", CTE, ""),
    ("14089", "Pharmacy Technician Externship", L.CAPSTONE, "1", WBL,
     "Supervised hours in a hospital or retail pharmacy."),
    # Construction and sustainability
    ("17001", "Construction Technology and Safety", L.INTRODUCTORY, "1", CTE,
     "Tools, blueprints, site safety (OSHA 10) and the trades."),
    ("17011", "Electrical Theory and Wiring I", L.CONCENTRATOR, "2", CTE, ""),
    ("17012", "Electrical Wiring II and the Electrical Code", L.CONCENTRATOR, "2", CTE, ""),
    ("17019", "Electrical Pre-Apprenticeship Capstone", L.CAPSTONE, "2", WBL,
     "Apprenticeship readiness with union and contractor partners."),
    ("17021", "Carpentry I: Framing", L.CONCENTRATOR, "2", CTE, ""),
    ("17022", "Carpentry II: Finish Work and Cabinetmaking", L.CONCENTRATOR, "2", CTE, ""),
    ("17029", "Community Build Capstone", L.CAPSTONE, "2", WBL,
     "Build and renovate for a community organization."),
    ("17031", "Plumbing Fundamentals", L.CONCENTRATOR, "2", CTE, ""),
    ("17032", "Heating, Ventilation and Air Conditioning", L.CONCENTRATOR, "2", CTE, ""),
    ("17039", "Green Building Systems Capstone", L.CAPSTONE, "2", WBL,
     "Audit and retrofit a building's energy systems."),
    ("17041", "Sustainable Design and Green Building", L.CONCENTRATOR, "1", CTE, ""),
    ("17042", "Estimating, Scheduling and Project Management", L.CONCENTRATOR, "1", CTE, ""),
    ("17049", "Construction Management Capstone", L.CAPSTONE, "1", WBL,
     "Shadow a project manager and plan a real renovation."),
    ("17061", "Solar and Renewable Energy Systems", L.CONCENTRATOR, "2", CTE, ""),
    # Culinary arts and hospitality
    ("16001", "Introduction to Culinary Arts and Hospitality", L.INTRODUCTORY, "1", CTE,
     "Knife skills, kitchen safety and sanitation, and the hospitality industry."),
    ("16011", "Culinary Arts I: Kitchen Fundamentals", L.CONCENTRATOR, "2", CTE, ""),
    ("16012", "Culinary Arts II: Restaurant Production", L.CONCENTRATOR, "2", CTE, ""),
    ("16019", "Student-Run Café Capstone", L.CAPSTONE, "2", WBL,
     "Run the school café, from menu to costs, and intern in a restaurant."),
    ("16021", "Baking Fundamentals", L.CONCENTRATOR, "2", CTE, ""),
    ("16022", "Pastry and Confectionery", L.CONCENTRATOR, "2", CTE, ""),
    ("16029", "Bakery Business Capstone", L.CAPSTONE, "2", WBL,
     "Plan, bake and sell through the school's bakery."),
    ("16041", "Hospitality and Tourism", L.CONCENTRATOR, "1", CTE, ""),
    ("16042", "Hotel and Event Operations", L.CONCENTRATOR, "1", CTE, ""),
    ("16049", "Hospitality Internship Seminar", L.CAPSTONE, "1", WBL,
     "An internship in a hotel or events company, with a weekly seminar."),
    # Media, marketing and film
    ("11001", "Foundations of Digital Media", L.INTRODUCTORY, "1",
     "Art credit toward the Regents diploma",
     "Photography, design principles, and the tools of the trade."),
    ("11011", "Graphic Design I", L.CONCENTRATOR, "1", CTE, ""),
    ("11012", "Motion Graphics and Animation", L.CONCENTRATOR, "1", CTE, ""),
    ("11019", "Design Studio Capstone", L.CAPSTONE, "1", WBL,
     "Design for real clients and finish a portfolio."),
    ("11021", "Film and Video Production I", L.CONCENTRATOR, "1", CTE, ""),
    ("11022", "Film and Video Production II: Editing and Sound", L.CONCENTRATOR, "1", CTE, ""),
    ("11029", "Documentary Film Capstone", L.CAPSTONE, "1", WBL,
     "Make a short documentary with a crew, shown at the spring festival."),
    # Business and finance (12001 also opens marketing)
    ("12001", "Introduction to Business and Marketing", L.INTRODUCTORY, "1", CTE,
     "How businesses work: customers, money, marketing and management."),
    ("12021", "Principles of Marketing", L.CONCENTRATOR, "1", CTE, ""),
    ("12022", "Digital Marketing and Social Media", L.CONCENTRATOR, "1", CTE, ""),
    ("12029", "Agency Project Capstone", L.CAPSTONE, "1", WBL,
     "Run a campaign for a local business with an agency mentor."),
    ("12031", "Accounting I", L.CONCENTRATOR, "1", "Math elective credit", ""),
    ("12032", "Personal Finance and Investing", L.CONCENTRATOR, "1",
     "Economics credit toward the Regents diploma", ""),
    ("12039", "Virtual Enterprise: Finance Capstone", L.CAPSTONE, "1", WBL,
     "Keep the books of a student-run virtual company and intern at a firm."),
    ("12041", "Entrepreneurship", L.CONCENTRATOR, "1", CTE, ""),
    ("12042", "Business Management and Law", L.CONCENTRATOR, "1", CTE, ""),
    ("12049", "Virtual Enterprise: Start-Up Capstone", L.CAPSTONE, "1", WBL,
     "Launch a virtual company and pitch it at the citywide trade fair."),
    ("12011", "Keyboarding and Word Processing", L.INTRODUCTORY, "0.5", CTE, ""),
    # Social sciences and public service
    ("15001", "Introduction to Law and Public Safety", L.INTRODUCTORY, "1",
     "Social studies elective credit", "The courts, policing, emergency services and rights."),
    ("15011", "Criminal Justice and Law Enforcement", L.CONCENTRATOR, "1", CTE, ""),
    ("15012", "Emergency Management and Security", L.CONCENTRATOR, "1", CTE, ""),
    ("15019", "Public Safety Capstone and Internship", L.CAPSTONE, "1", WBL,
     "An internship with a city agency, and a community safety project."),
    ("15021", "Legal Research and Writing", L.CONCENTRATOR, "1", "English elective credit", ""),
    ("15022", "Courtroom Procedures and Mock Trial", L.CONCENTRATOR, "1", CTE, ""),
    ("15029", "Legal Internship Seminar", L.CAPSTONE, "1", WBL,
     "An internship in a law office or court, with a weekly seminar."),
    ("19001", "Human Development and Family Studies", L.INTRODUCTORY, "1", CTE,
     "How people grow and learn, from infancy to adulthood."),
    ("19011", "Early Childhood Education I", L.CONCENTRATOR, "1", CTE, ""),
    ("19012", "Early Childhood Education II: Curriculum and Play", L.CONCENTRATOR, "1", CTE,
     ""),
    ("19019", "Teaching Practicum", L.CAPSTONE, "1", WBL,
     "Assist in a pre-K or elementary classroom, with a mentor teacher."),
    ("19021", "Introduction to Human Services", L.CONCENTRATOR, "1", CTE, ""),
    ("19022", "Community Health and Social Work", L.CONCENTRATOR, "1", CTE, ""),
    ("19029", "Community Service Internship", L.CAPSTONE, "1", WBL,
     "An internship in a nonprofit or city social-service agency."),
]  # fmt: skip

DUAL, CONCURRENT, ARTICULATED = (
    CollegeCreditKind.DUAL,
    CollegeCreditKind.CONCURRENT,
    CollegeCreditKind.ARTICULATED,
)
CITY_TECH = "New York City College of Technology (CUNY)"
BMCC = "Borough of Manhattan Community College (CUNY)"

# course code, kind, college, college course, credits
COLLEGE_CREDITS = [
    ("10152", DUAL, BMCC, "CSC 111 Introduction to Programming", "4"),
    ("10101", DUAL, CITY_TECH, "CST 1100 Introduction to Computer Systems", "3"),
    ("10065", ARTICULATED, BMCC, "CIS 165 Cloud Computing Fundamentals", "3"),
    ("21006", ARTICULATED, CITY_TECH, "MECH 1101 Engineering Graphics", "2"),
    ("17051", DUAL, CITY_TECH, "ARCH 1110 Foundations of Architectural Design", "3"),
    ("21042", ARTICULATED, "Queensborough Community College (CUNY)",
     "ET 110 Introduction to Mechatronics", "3"),
    ("20102", ARTICULATED, "Bronx Community College (CUNY)", "ATE 11 Automotive Chassis", "3"),
    ("20202", ARTICULATED, "Vaughn College of Aeronautics and Technology",
     "AMT 101 Aviation Maintenance General", "4"),
    ("14051", DUAL, "LaGuardia Community College (CUNY)",
     "SCB 203 Human Anatomy and Physiology I", "4"),
    ("14061", ARTICULATED, BMCC, "HED 210 Medical Terminology", "3"),
    ("14072", ARTICULATED, "Kingsborough Community College (CUNY)",
     "HE 35 Emergency Medical Technician", "4"),
    ("17042", DUAL, CITY_TECH, "CMCE 1115 Construction Management I", "3"),
    ("16011", ARTICULATED, "Kingsborough Community College (CUNY)",
     "CA 1 Culinary Foundations", "3"),
    ("16041", DUAL, CITY_TECH, "HMGT 1101 Perspectives in Hospitality Management", "3"),
    ("11011", CONCURRENT, BMCC, "MMP 100 Introduction to Multimedia", "3"),
    ("12021", DUAL, "Baruch College (CUNY)", "MKT 1000 Introduction to Marketing", "3"),
    ("12031", DUAL, BMCC, "ACC 122 Accounting Principles I", "4"),
    ("15011", DUAL, "John Jay College of Criminal Justice (CUNY)",
     "CRJ 101 Introduction to Criminal Justice", "3"),
    ("15021", ARTICULATED, "Bronx Community College (CUNY)",
     "PLS 11 Introduction to Paralegal Studies", "3"),
    ("19011", DUAL, "Kingsborough Community College (CUNY)",
     "ECE 12 Introduction to Early Childhood Education", "3"),
]  # fmt: skip

DAY, EXTENDED = Schedule.DAY, Schedule.EXTENDED_DAY
AFTER_SCHOOL_TUE_THU = "Tuesday and Thursday, 3:30 to 5:30 pm"
AFTER_SCHOOL_MON_WED = "Monday and Wednesday, 3:15 to 5:45 pm"
DOUBLE_PERIOD = "Double period every day"

# Each pathway: its facts, its sequence [(course code, year, required?)] (order in a year
# follows the list), credentials, careers (SOC codes), and offerings
# [(school slug, schedule, seats, when it meets, open for enrollment)].
PATHWAYS: list[dict] = [
    dict(
        slug="software-engineering", sector="information-technology",
        name="Software Engineering", cip="11.0201", grades=(9, 10), nontrad=Gender.FEMALE,
        summary="Design, build and test software, from a first Python program to a team "
        "project for a real client.",
        description="Students learn to program in Python and JavaScript, build web and "
        "mobile apps, and work the way software teams do: version control, code review, "
        "testing. The capstone pairs each team with a mentor from a technology company.",
        sequence=[("10011", 1, True), ("10152", 2, True), ("10153", 3, True),
                  ("10157", 3, False), ("10159", 4, True)],
        credentials=["it-specialist-python", "comptia-itf"],
        careers=["15-1252", "15-1254"],
        offerings=[("harbor-view-cte", DAY, 28, "", True),
                   ("bronx-river-tech", DAY, 25, "", True),
                   ("midtown-media", EXTENDED, 20, AFTER_SCHOOL_TUE_THU, True)],
    ),
    dict(
        slug="cybersecurity-networking", sector="information-technology",
        name="Cybersecurity and Networking", cip="11.1003", grades=(9, 10),
        nontrad=Gender.FEMALE,
        summary="Build, run and defend computer networks, and earn the CompTIA "
        "certifications employers ask for.",
        description="From taking a computer apart to securing a network: hardware and "
        "operating systems, routing and switching, and defending systems in a cyber range.",
        sequence=[("10011", 1, True), ("10051", 2, True), ("10101", 3, True),
                  ("10104", 4, True)],
        credentials=["comptia-a-plus", "comptia-network-plus", "comptia-security-plus"],
        careers=["15-1212", "15-1244", "15-1232"],
        offerings=[("bronx-river-tech", DAY, 25, "", True),
                   ("north-shore-cte", DAY, 24, "", True),
                   ("harbor-view-cte", EXTENDED, 18, AFTER_SCHOOL_MON_WED, True)],
    ),
    dict(
        slug="it-support-cloud", sector="information-technology",
        name="IT Support and Cloud Services", cip="11.1006", grades=(9, 10),
        summary="Keep people and their computers working: help desk, hardware, and "
        "services in the cloud.",
        description="Students run their school's student help desk, learn to support "
        "users patiently and clearly, and deploy services in the cloud.",
        sequence=[("10011", 1, True), ("10051", 2, True), ("10061", 3, True),
                  ("10065", 4, True)],
        credentials=["comptia-itf", "comptia-a-plus", "aws-cloud-practitioner"],
        careers=["15-1232", "15-1244"],
        offerings=[("north-shore-cte", EXTENDED, 20, AFTER_SCHOOL_TUE_THU, True),
                   ("lower-manhattan-finance", DAY, 22, "", True)],
    ),
    dict(
        slug="exploring-computer-science", sector="information-technology",
        name="Exploring Computer Science", cip="", grades=(7, 8),
        summary="Middle school: try coding, game design and robotics before choosing a "
        "high school pathway.",
        description="Project-based workshops for grades 7 and 8, so students reach high "
        "school knowing whether technology is for them.",
        sequence=[("10002", 1, True), ("10003", 2, True)],
        credentials=[], careers=["15-1252"],
        offerings=[("east-harlem-exploration", DAY, 30, "", True),
                   ("sunset-park-innovation", EXTENDED, 24, AFTER_SCHOOL_MON_WED, True)],
    ),
    dict(
        slug="pre-engineering", sector="engineering-architecture",
        name="Pre-Engineering", cip="14.0101", grades=(9, 10), nontrad=Gender.FEMALE,
        summary="Design, prototype and test like an engineer, with college credit on the "
        "way.",
        description="A four-year sequence in engineering design, mechanisms, electronics "
        "and a capstone judged by practicing engineers.",
        sequence=[("21006", 1, True), ("21007", 2, True), ("21008", 3, True),
                  ("21009", 4, True)],
        credentials=["solidworks-cswa", "autodesk-autocad"],
        careers=["17-2141", "17-2051", "17-3027"],
        offerings=[("harbor-view-cte", DAY, 26, "", True),
                   ("north-shore-cte", DAY, 24, "", True)],
    ),
    dict(
        slug="architectural-design", sector="engineering-architecture",
        name="Architectural Design", cip="15.1303", grades=(9, 10),
        summary="Draw, model and present buildings, from hand sketches to building "
        "information models.",
        description="Students learn drafting, CAD and Revit, visit job sites with "
        "architects, and design a small public building for a real site.",
        sequence=[("21006", 1, True), ("17051", 2, True), ("17052", 3, True),
                  ("17059", 4, True)],
        credentials=["autodesk-autocad", "autodesk-revit"],
        careers=["17-1011", "17-3011", "11-9021"],
        offerings=[("gowanus-construction", DAY, 25, "", True),
                   ("harbor-view-cte", DAY, 22, "", True)],
    ),
    dict(
        slug="robotics-automation", sector="engineering-architecture",
        name="Robotics and Automation", cip="15.0405", grades=(9, 10),
        nontrad=Gender.FEMALE,
        summary="Build and program robots, and the automated systems of modern "
        "manufacturing.",
        description="Mechanical design, electronics and programming, a robotics "
        "competition team, and an industrial robot cell in the capstone year.",
        sequence=[("21006", 1, True), ("21041", 2, True), ("21042", 3, True),
                  ("21049", 4, True)],
        credentials=["fanuc-robot-operator"],
        careers=["17-3024", "17-2141"],
        offerings=[("bronx-river-tech", DAY, 20, "", True),
                   ("north-shore-cte", EXTENDED, 16, AFTER_SCHOOL_TUE_THU, True)],
    ),
    dict(
        slug="automotive-technology", sector="transportation",
        name="Automotive Technology", cip="47.0604", grades=(9, 10), nontrad=Gender.FEMALE,
        summary="Diagnose and repair today's cars, hybrids and electric vehicles in a "
        "working shop.",
        description="Students work on real vehicles in an ASE-accredited shop, and intern "
        "at dealerships and city fleet garages in their final year.",
        sequence=[("20101", 1, True), ("20102", 2, True), ("20103", 3, True),
                  ("20109", 4, True)],
        credentials=["ase-entry-mlr", "osha-10-construction"],
        careers=["49-3023", "49-3021"],
        offerings=[("north-shore-cte", DAY, 24, DOUBLE_PERIOD, True),
                   ("bronx-river-tech", DAY, 22, DOUBLE_PERIOD, True)],
    ),
    dict(
        slug="aviation-maintenance", sector="transportation",
        name="Aviation Maintenance Technology", cip="47.0607", grades=(9, 9),
        nontrad=Gender.FEMALE,
        summary="Inspect and repair aircraft, on the way to the FAA mechanic's "
        "certificate.",
        description="An FAA-approved program: students log hours on the school's aircraft "
        "and engines and can take the FAA General test before graduating.",
        sequence=[("20201", 1, True), ("20202", 2, True), ("20203", 3, True),
                  ("20209", 4, True)],
        credentials=["faa-amt-general"],
        careers=["49-3011"],
        offerings=[("flushing-bay-aviation", DAY, 34, DOUBLE_PERIOD, True),
                   ("flushing-bay-aviation", EXTENDED, 20, AFTER_SCHOOL_MON_WED, False)],
    ),
    dict(
        slug="diesel-transit", sector="transportation",
        name="Diesel and Transit Technology", cip="47.0605", grades=(9, 10),
        nontrad=Gender.FEMALE,
        summary="Keep buses, trucks and trains running: diesel engines, hydraulics and "
        "air brakes.",
        description="With the city's transit partners: students train on diesel engines "
        "and heavy vehicles, and spend their capstone in a bus depot.",
        sequence=[("20101", 1, True), ("20301", 2, True), ("20302", 3, True),
                  ("20309", 4, True)],
        credentials=["ase-entry-truck"],
        careers=["49-3031"],
        offerings=[("flushing-bay-aviation", DAY, 22, DOUBLE_PERIOD, True),
                   ("bronx-river-tech", EXTENDED, 18, AFTER_SCHOOL_TUE_THU, True)],
    ),
    dict(
        slug="nurse-aide-patient-care", sector="health-sciences",
        name="Nurse Aide and Patient Care", cip="51.3902", grades=(9, 10),
        nontrad=Gender.MALE,
        summary="Care for patients, earn the state nurse aide certificate, and start on "
        "the road to nursing.",
        description="Anatomy, patient care skills and supervised clinical hours in a "
        "nursing home or hospital, leading to the state CNA exam.",
        sequence=[("14001", 1, True), ("14051", 2, True), ("14052", 3, True),
                  ("14059", 4, True)],
        credentials=["nys-cna", "aha-bls"],
        careers=["31-1131", "29-1141", "29-2061"],
        offerings=[("atlantic-avenue-health", DAY, 30, "", True),
                   ("north-shore-cte", DAY, 20, "", True)],
    ),
    dict(
        slug="medical-assisting", sector="health-sciences",
        name="Medical Assisting", cip="51.0801", grades=(9, 10), nontrad=Gender.MALE,
        summary="Work beside doctors and nurses in a clinic: vital signs, lab tests and "
        "the front office.",
        description="Clinical and administrative skills for doctors' offices and clinics, "
        "with a practicum and the CCMA certification exam.",
        sequence=[("14001", 1, True), ("14051", 2, True), ("14061", 3, True),
                  ("14069", 4, True)],
        credentials=["nha-ccma", "aha-bls"],
        careers=["31-9092", "29-1141"],
        offerings=[("atlantic-avenue-health", DAY, 28, "", True),
                   ("harbor-view-cte", EXTENDED, 20, AFTER_SCHOOL_TUE_THU, True)],
    ),
    dict(
        slug="emergency-medical-services", sector="health-sciences",
        name="Emergency Medical Services", cip="51.0904", grades=(10, 11),
        summary="Respond to emergencies: first aid, CPR and the full state EMT course.",
        description="A three-year sequence ending with the state EMT course and "
        "ride-alongs with the ambulance service.",
        sequence=[("14001", 1, True), ("14071", 2, True), ("14072", 3, True)],
        credentials=["nys-emt", "aha-bls"],
        careers=["29-2042", "33-2011"],
        offerings=[("grand-concourse-public-service", DAY, 24, "", True),
                   ("atlantic-avenue-health", EXTENDED, 20, AFTER_SCHOOL_MON_WED, True)],
    ),
    dict(
        slug="pharmacy-technician", sector="health-sciences",
        name="Pharmacy Technician", cip="51.0805", grades=(9, 10),
        summary="Prepare and check medications with pharmacists, in hospitals and "
        "community pharmacies.",
        description="Medical terminology, pharmacology and pharmacy practice, then an "
        "externship and the national certification exam.",
        sequence=[("14001", 1, True), ("14081", 2, True), ("14082", 3, True),
                  ("14089", 4, True)],
        credentials=["ptcb-cpht"],
        careers=["29-2052"],
        offerings=[("atlantic-avenue-health", DAY, 22, "", True),
                   ("bronx-river-tech", DAY, 20, "", True)],
    ),
    dict(
        slug="exploring-health-careers", sector="health-sciences",
        name="Exploring Health Careers", cip="", grades=(7, 8),
        summary="Middle school: meet health workers and practice first aid and vital "
        "signs.",
        description="Hands-on workshops for grades 7 and 8 and visits from nurses, "
        "paramedics and pharmacists.",
        sequence=[("14000", 1, True)],
        credentials=["aha-bls"], careers=["29-1141", "29-2042"],
        offerings=[("sunset-park-innovation", DAY, 28, "", True)],
    ),
    dict(
        slug="electrical-installation", sector="construction-sustainability",
        name="Electrical Installation", cip="46.0302", grades=(9, 10), nontrad=Gender.FEMALE,
        summary="Wire homes and buildings to code, and get ready for an electrical "
        "apprenticeship.",
        description="Electrical theory, residential and commercial wiring, the electrical "
        "code, and a pre-apprenticeship with union and contractor partners.",
        sequence=[("17001", 1, True), ("17011", 2, True), ("17012", 3, True),
                  ("17019", 4, True)],
        credentials=["osha-10-construction", "nccer-core"],
        careers=["47-2111"],
        offerings=[("gowanus-construction", DAY, 25, DOUBLE_PERIOD, True),
                   ("north-shore-cte", DAY, 20, DOUBLE_PERIOD, True)],
    ),
    dict(
        slug="carpentry", sector="construction-sustainability",
        name="Carpentry and Cabinetmaking", cip="46.0201", grades=(9, 10),
        nontrad=Gender.FEMALE,
        summary="Frame, finish and build: from blueprints to cabinets to a community "
        "build.",
        description="Framing, finish carpentry and cabinetmaking, ending with a build or "
        "renovation for a community organization.",
        sequence=[("17001", 1, True), ("17021", 2, True), ("17022", 3, True),
                  ("17029", 4, True)],
        credentials=["osha-10-construction", "nccer-core"],
        careers=["47-2031", "11-9021"],
        offerings=[("gowanus-construction", DAY, 22, DOUBLE_PERIOD, True),
                   ("north-shore-cte", EXTENDED, 16, AFTER_SCHOOL_TUE_THU, True)],
    ),
    dict(
        slug="hvac-plumbing", sector="construction-sustainability",
        name="HVAC and Plumbing", cip="47.0201", grades=(9, 10), nontrad=Gender.FEMALE,
        summary="Install and repair heating, cooling and plumbing systems, greener every "
        "year.",
        description="Plumbing, heating, ventilation and air conditioning, and the "
        "energy-saving retrofits the city's climate law now requires.",
        sequence=[("17001", 1, True), ("17031", 2, True), ("17032", 3, True),
                  ("17039", 4, True)],
        credentials=["epa-608", "osha-10-construction"],
        careers=["49-9021", "47-2152"],
        offerings=[("gowanus-construction", DAY, 20, DOUBLE_PERIOD, True),
                   ("bronx-river-tech", DAY, 22, DOUBLE_PERIOD, True)],
    ),
    dict(
        slug="construction-management", sector="construction-sustainability",
        name="Construction Management and Sustainability", cip="52.2001", grades=(9, 10),
        summary="Plan, estimate and lead building projects, with sustainability from the "
        "start.",
        description="Green building, estimating, scheduling and project management, with "
        "college credit from City Tech.",
        sequence=[("17001", 1, True), ("17041", 2, True), ("17042", 3, True),
                  ("17049", 4, True)],
        credentials=["osha-10-construction"],
        careers=["11-9021", "17-2051"],
        offerings=[("gowanus-construction", EXTENDED, 20, AFTER_SCHOOL_MON_WED, True)],
    ),
    dict(
        slug="culinary-arts", sector="culinary-hospitality",
        name="Culinary Arts", cip="12.0500", grades=(9, 10),
        summary="Cook like a professional: kitchen skills, restaurant production and a "
        "student-run café.",
        description="Knife skills to banquet service, food safety certificates, and "
        "internships in the city's restaurants.",
        sequence=[("16001", 1, True), ("16011", 2, True), ("16012", 3, True),
                  ("16019", 4, True)],
        credentials=["nyc-food-protection", "servsafe-manager", "prostart-coa"],
        careers=["35-1011", "35-2014", "11-9051"],
        offerings=[("jamaica-culinary", DAY, 30, DOUBLE_PERIOD, True),
                   ("north-shore-cte", DAY, 24, DOUBLE_PERIOD, True)],
    ),
    dict(
        slug="baking-pastry", sector="culinary-hospitality",
        name="Baking and Pastry Arts", cip="12.0501", grades=(9, 10),
        summary="Breads, pastry and confectionery, and the business of running a bakery.",
        description="Students bake for the school's bakery and learn costing, ordering "
        "and sales.",
        sequence=[("16001", 1, True), ("16021", 2, True), ("16022", 3, True),
                  ("16029", 4, True)],
        credentials=["nyc-food-protection", "servsafe-manager"],
        careers=["51-3011", "35-1011"],
        offerings=[("jamaica-culinary", DAY, 24, DOUBLE_PERIOD, True),
                   ("jamaica-culinary", EXTENDED, 16, AFTER_SCHOOL_TUE_THU, True)],
    ),
    dict(
        slug="hospitality-tourism", sector="culinary-hospitality",
        name="Hospitality and Tourism Management", cip="52.0901", grades=(9, 10),
        summary="Welcome the world: hotels, events and tourism in the nation's largest "
        "visitor economy.",
        description="Guest service, hotel and event operations, and an internship with a "
        "hotel or events company.",
        sequence=[("16001", 1, True), ("16041", 2, True), ("16042", 3, True),
                  ("16049", 4, True)],
        credentials=["ahlei-cgsp"],
        careers=["11-9081", "11-9051"],
        offerings=[("jamaica-culinary", DAY, 22, "", True),
                   ("lower-manhattan-finance", DAY, 20, "", True)],
    ),
    dict(
        slug="digital-media-design", sector="media-marketing-film",
        name="Digital Media and Graphic Design", cip="50.0409", grades=(9, 10),
        summary="Design for print, screens and brands, and leave with a professional "
        "portfolio.",
        description="Photography, typography, layout, motion graphics and animation, and "
        "work for real clients in the capstone studio.",
        sequence=[("11001", 1, True), ("11011", 2, True), ("11012", 3, True),
                  ("11019", 4, True)],
        credentials=["adobe-photoshop"],
        careers=["27-1024", "27-1014"],
        offerings=[("midtown-media", DAY, 30, "", True),
                   ("harbor-view-cte", DAY, 22, "", True)],
    ),
    dict(
        slug="film-video-production", sector="media-marketing-film",
        name="Film and Video Production", cip="50.0602", grades=(9, 10),
        summary="Write, shoot, edit and mix: make films from the first idea to the "
        "festival screen.",
        description="Camera, lighting, sound and editing, a documentary capstone, and "
        "internships with the city's film and television studios.",
        sequence=[("11001", 1, True), ("11021", 2, True), ("11022", 3, True),
                  ("11029", 4, True)],
        credentials=["adobe-premiere"],
        careers=["27-4032", "27-4011"],
        offerings=[("midtown-media", DAY, 26, "", True),
                   ("midtown-media", EXTENDED, 18, AFTER_SCHOOL_MON_WED, True)],
    ),
    dict(
        slug="marketing-advertising", sector="media-marketing-film",
        name="Marketing and Advertising", cip="52.1401", grades=(9, 10),
        summary="Research customers, tell stories and run campaigns, online and off.",
        description="Marketing principles, digital and social media marketing, and a "
        "campaign for a local business with an agency mentor.",
        sequence=[("12001", 1, True), ("12021", 2, True), ("12022", 3, True),
                  ("12029", 4, True)],
        credentials=["meta-marketing"],
        careers=["13-1161", "11-2021"],
        offerings=[("midtown-media", DAY, 24, "", True),
                   ("lower-manhattan-finance", DAY, 22, "", True)],
    ),
    dict(
        slug="accounting-finance", sector="business-finance",
        name="Accounting and Finance", cip="52.0301", grades=(9, 10),
        summary="Keep the books, read the numbers and manage money, with college "
        "accounting credit.",
        description="Accounting, personal finance and investing, and a virtual enterprise "
        "where students run a company's finances.",
        sequence=[("12001", 1, True), ("12031", 2, True), ("12032", 3, True),
                  ("12039", 4, True)],
        credentials=["quickbooks-user", "mos-excel"],
        careers=["13-2011", "43-3031", "13-2052"],
        offerings=[("lower-manhattan-finance", DAY, 30, "", True),
                   ("north-shore-cte", DAY, 20, "", True)],
    ),
    dict(
        slug="business-entrepreneurship", sector="business-finance",
        name="Business Management and Entrepreneurship", cip="52.0701", grades=(9, 10),
        summary="Start and run a business: plans, budgets, people and the pitch.",
        description="Entrepreneurship, management and business law, and a virtual start-up "
        "pitched at the citywide trade fair.",
        sequence=[("12001", 1, True), ("12041", 2, True), ("12042", 3, True),
                  ("12049", 4, True)],
        credentials=["mos-excel"],
        careers=["11-1021", "13-1161"],
        offerings=[("lower-manhattan-finance", DAY, 24, "", True),
                   ("jamaica-culinary", EXTENDED, 18, AFTER_SCHOOL_MON_WED, True)],
    ),
    dict(
        slug="law-public-safety", sector="public-service",
        name="Law, Public Safety and Security", cip="43.0107", grades=(9, 10),
        summary="Serve and protect: criminal justice, emergency management and security.",
        description="How justice and public safety work, emergency management, and an "
        "internship with a city agency.",
        sequence=[("15001", 1, True), ("15011", 2, True), ("15012", 3, True),
                  ("15019", 4, True)],
        credentials=["nys-security-guard", "aha-bls"],
        careers=["33-3051", "33-9032", "33-2011"],
        offerings=[("grand-concourse-public-service", DAY, 30, "", True),
                   ("north-shore-cte", DAY, 22, "", True)],
    ),
    dict(
        slug="legal-studies", sector="public-service",
        name="Legal Studies", cip="22.0302", grades=(9, 10),
        summary="Research, write and argue: the work of paralegals, and a start toward "
        "law school.",
        description="Legal research and writing, courtroom procedure and mock trial, and "
        "an internship in a law office or court.",
        sequence=[("15001", 1, True), ("15021", 2, True), ("15022", 3, True),
                  ("15029", 4, True)],
        credentials=[],
        careers=["23-2011"],
        offerings=[("grand-concourse-public-service", DAY, 22, "", True),
                   ("lower-manhattan-finance", EXTENDED, 16, AFTER_SCHOOL_TUE_THU, True)],
    ),
    dict(
        slug="early-childhood-education", sector="public-service",
        name="Teaching and Early Childhood Education", cip="19.0709", grades=(9, 10),
        nontrad=Gender.MALE,
        summary="Help young children learn and grow, and try teaching in a real "
        "classroom.",
        description="Child development, early childhood curriculum, and a practicum in a "
        "pre-K or elementary classroom leading to the CDA credential.",
        sequence=[("19001", 1, True), ("19011", 2, True), ("19012", 3, True),
                  ("19019", 4, True)],
        credentials=["cda"],
        careers=["25-2011", "39-9011", "25-9045"],
        offerings=[("grand-concourse-public-service", DAY, 24, "", True),
                   ("atlantic-avenue-health", DAY, 20, "", True)],
    ),
    dict(
        slug="human-services", sector="public-service",
        name="Human and Social Services", cip="44.0000", grades=(9, 10), nontrad=Gender.MALE,
        summary="Support people and communities: social work, community health and "
        "nonprofits.",
        description="Human development, social services and community health, and an "
        "internship in a nonprofit or city agency.",
        sequence=[("19001", 1, True), ("19021", 2, True), ("19022", 3, True),
                  ("19029", 4, True)],
        credentials=["aha-bls"],
        careers=["21-1093"],
        offerings=[("grand-concourse-public-service", EXTENDED, 20, AFTER_SCHOOL_MON_WED,
                    True)],
    ),
    # Not public: a draft being prepared, and an archived pathway (staff see both).
    dict(
        slug="renewable-energy", sector="construction-sustainability",
        name="Renewable Energy Technology", cip="15.0505", grades=(9, 10),
        status=PathwayStatus.DRAFT,
        summary="Install and maintain solar and other renewable energy systems.",
        description="In preparation with the district's energy partners.",
        sequence=[("17001", 1, True), ("17061", 2, True)],
        credentials=["osha-10-construction"], careers=["47-2111"], offerings=[],
    ),
    dict(
        slug="office-technology", sector="business-finance",
        name="Office Technology", cip="52.0407", grades=(9, 10),
        status=PathwayStatus.ARCHIVED,
        summary="Keyboarding and office software (replaced by Accounting and Finance).",
        description="No longer offered.",
        sequence=[("12011", 1, True)],
        credentials=["mos-excel"], careers=["43-3031"], offerings=[],
    ),
]  # fmt: skip


def _seed_reference_data() -> None:
    for position, (slug, name, description) in enumerate(SECTORS, start=1):
        Sector.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
    for slug, name, code, level, address in SCHOOLS:
        School.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "code": code, "level": SchoolLevel(level), "address": address},
        )
    for slug, name, issuer, kind, how, approved in CREDENTIALS:
        Credential.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "issuer": issuer,
                "kind": kind,
                "how_earned": how,
                "state_approved": approved,
            },
        )
    for soc, title, wage, growth, openings, education in OCCUPATIONS:
        Occupation.objects.update_or_create(
            soc_code=soc,
            defaults={
                "title": title,
                "median_annual_wage": wage,
                "projected_growth": Decimal(growth),
                "annual_openings": openings,
                "typical_education": education,
                "data_source": OCCUPATION_SOURCE,
                "data_year": OCCUPATION_YEAR,
            },
        )
    for code, title, level, credits, requirement, description in COURSES:
        low, high = LEVEL_GRADES[level]
        Course.objects.update_or_create(
            code=code,
            defaults={
                "title": title,
                "level": level,
                "credits": Decimal(credits),
                "requirement_met": requirement,
                "description": description,
                "grade_min": low,
                "grade_max": high,
            },
        )
    for code, kind, college, college_course, credits in COLLEGE_CREDITS:
        CollegeCredit.objects.update_or_create(
            course=Course.objects.get(code=code),
            college=college,
            college_course=college_course,
            defaults={"kind": kind, "credits": Decimal(credits)},
        )


def _seed_pathway(spec: dict, school_year: int) -> None:
    courses = {c.code: c for c in Course.objects.filter(code__in=[s[0] for s in spec["sequence"]])}
    positions: dict[int, int] = {}
    sequence = []
    for code, year, required in spec["sequence"]:
        positions[year] = positions.get(year, 0) + 1
        sequence.append(
            SequenceEntry(
                course=courses[code], year=year, position=positions[year], required=required
            )
        )
    fields = {
        "sector": Sector.objects.get(slug=spec["sector"]),
        "name": spec["name"],
        "summary": spec["summary"],
        "description": spec["description"],
        "cip_code": spec["cip"],
        "entry_grade_min": spec["grades"][0],
        "entry_grade_max": spec["grades"][1],
        "status": spec.get("status", PathwayStatus.PUBLISHED),
        "non_traditional_for": spec.get("nontrad", ""),
        "credentials": list(Credential.objects.filter(slug__in=spec["credentials"])),
        "occupations": list(Occupation.objects.filter(soc_code__in=spec["careers"])),
        "sequence": sequence,
    }
    pathway = Pathway.objects.filter(slug=spec["slug"]).first()
    if pathway is None:
        pathway = pathway_create(actor=None, slug=spec["slug"], **fields)
    else:
        pathway_update(pathway=pathway, actor=None, **fields)
    for school_slug, schedule, seats, note, is_open in spec["offerings"]:
        Offering.objects.update_or_create(
            pathway=pathway,
            school=School.objects.get(slug=school_slug),
            school_year=school_year,
            schedule=schedule,
            defaults={"seats": seats, "schedule_note": note, "open_for_enrollment": is_open},
        )


def seed() -> list[str]:
    """Create or refresh the demo catalogue (idempotent). Returns what it did, line by line."""
    school_year = current_school_year()
    _seed_reference_data()
    for spec in PATHWAYS:
        _seed_pathway(spec, school_year)
    published = Pathway.objects.filter(status=PathwayStatus.PUBLISHED).count()
    return [
        f"catalogue: {Sector.objects.count()} sectors, {published} published pathways "
        f"(+{Pathway.objects.count() - published} draft or archived), "
        f"{Course.objects.count()} courses, {Credential.objects.count()} credentials, "
        f"{Occupation.objects.count()} careers",
        f"catalogue: {School.objects.count()} schools, "
        f"{Offering.objects.filter(school_year=school_year).count()} offerings in "
        f"{school_year}-{(school_year + 1) % 100:02d}",
    ]
